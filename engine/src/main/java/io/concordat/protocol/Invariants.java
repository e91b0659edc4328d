package io.concordat.protocol;

/**
 * Always-on assertions, after TigerBeetle: unlike Java's {@code assert}, they run in production, because
 * a replica that continues from a broken state can violate safety for the whole cluster.
 */
public final class Invariants {
    private Invariants() {}

    public static void check(boolean condition, String messageFormat, Object... arguments) {
        if (!condition) {
            throw new InvariantViolation(String.format(messageFormat, arguments));
        }
    }

    /** A broken invariant: a bug in Concordat, never a reaction to bad input. */
    public static final class InvariantViolation extends IllegalStateException {
        public InvariantViolation(String message) {
            super(message);
        }
    }
}
