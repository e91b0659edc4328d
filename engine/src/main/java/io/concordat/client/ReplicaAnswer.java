package io.concordat.client;

import io.concordat.common.Bytes;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/** What one replica answered to one request, after the client checked it. */
sealed interface ReplicaAnswer {

    /** A reply signed by the replica, for this client, request number and kind (ordered or read-only). */
    record Valid(Bytes result) implements ReplicaAnswer {
        public Valid {
            Objects.requireNonNull(result, "result");
        }
    }

    /** A reply whose authenticator is not the MAC of the key this client shares with that replica. */
    record BadAuthenticator() implements ReplicaAnswer {}

    /** A 200 answer that is not an acceptable reply: undecodable, another client, another request, ... */
    record InvalidReply(String detail) implements ReplicaAnswer {
        public InvalidReply {
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * An error from the endpoint.
     *
     * @param httpStatus the HTTP status, or on the stream the status its answer frame carries
     * @param errorCode the {@code Concordat-Error} name, or "" if it had none
     */
    record Refused(int httpStatus, String errorCode, String detail) implements ReplicaAnswer {
        private static final int DETAIL_MAX_CHARACTERS = 300;

        public Refused {
            Objects.requireNonNull(errorCode, "errorCode");
            Objects.requireNonNull(detail, "detail");
        }

        /**
         * A refusal that retransmitting the same bytes cannot change: the endpoint judged the request itself
         * (malformed, bad signature, stale, too large). Timeouts and overload are not permanent.
         */
        boolean permanent() {
            return httpStatus >= 400 && httpStatus < 500 && httpStatus != 408 && httpStatus != 429;
        }
    }

    /** A refusal whose detail is cut to a length fit for an error message. */
    static Refused refused(int httpStatus, String errorCode, String detail) {
        String shown = detail.length() > Refused.DETAIL_MAX_CHARACTERS
                ? detail.substring(0, Refused.DETAIL_MAX_CHARACTERS) + "..." : detail;
        return new Refused(httpStatus, errorCode, shown);
    }

    /** No answer, because of {@code failure}: said the same way whichever transport met it. */
    static Unreachable unreachable(Throwable failure, BftClientSettings settings) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new Unreachable("no connection within " + settings.connectTimeout().toMillis() + " ms");
        }
        if (cause instanceof HttpTimeoutException) {
            return new Unreachable("no answer within " + settings.exchangeTimeout().toMillis() + " ms");
        }
        if (cause instanceof ConnectException) {
            return new Unreachable("connection refused");
        }
        String message = cause.getMessage();
        return new Unreachable(cause.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    /** No answer: the connection failed or the exchange timed out. */
    record Unreachable(String detail) implements ReplicaAnswer {
        public Unreachable {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
