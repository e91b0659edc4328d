package io.concordat.cli;

/** The CLI's exit codes (docs/operations.md, "Exit codes"). */
public final class ExitCodes {
    /** Done as asked. */
    public static final int OK = 0;
    /** Failed: the message on stderr says why (cluster unreachable, request refused, bad file...). */
    public static final int FAILURE = 1;
    /** The command line was wrong (picocli's usage error code). */
    public static final int USAGE = 2;
    /**
     * Done, but the answer is "no": a get or delete found no value, a compare-and-set found another value,
     * or {@code status} found a replica unreachable.
     */
    public static final int NEGATIVE = 3;

    private ExitCodes() {}
}
