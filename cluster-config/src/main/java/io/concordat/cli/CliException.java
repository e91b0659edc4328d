package io.concordat.cli;

/**
 * A failure the CLI reports as one clear line on stderr, without a stack trace: bad input, a missing file,
 * a cluster that does not answer. The message says what happened and, where it can, what to do.
 */
public final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    public CliException(String message) {
        this(message, ExitCodes.FAILURE);
    }

    public CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
