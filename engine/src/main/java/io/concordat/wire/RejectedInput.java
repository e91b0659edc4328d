package io.concordat.wire;

/**
 * Internal signal that input is rejected. It carries no stack trace: rejecting garbage is an expected,
 * possibly frequent outcome, and must stay cheap. It never leaves this package.
 */
final class RejectedInput extends Exception {
    private final DecodeError error;

    RejectedInput(DecodeError error, String detail) {
        super(detail, null, false, false);
        this.error = error;
    }

    DecodeError error() {
        return error;
    }

    String detail() {
        return getMessage();
    }
}
