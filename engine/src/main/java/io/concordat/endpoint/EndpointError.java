package io.concordat.endpoint;

import java.util.Objects;

/**
 * One error answer: its code (which fixes the HTTP status) and the human-readable body text, which always
 * starts with a short stable label such as {@code "malformed envelope"} and then says why.
 */
record EndpointError(ErrorCode code, String message) {
    EndpointError {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    static EndpointError of(ErrorCode code, String format, Object... arguments) {
        return new EndpointError(code, String.format(format, arguments));
    }
}
