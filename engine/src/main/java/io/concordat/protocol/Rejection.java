package io.concordat.protocol;

/** Why a handler's guard refused a message; turned into a {@link Dropped} by the dispatcher. */
record Rejection(DropReason reason, String detail) {
    static Rejection of(DropReason reason, String detailFormat, Object... arguments) {
        return new Rejection(reason, String.format(detailFormat, arguments));
    }
}
