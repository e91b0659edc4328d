package io.concordat.endpoint;

import io.concordat.common.Bytes;
import java.util.Objects;

/** What a {@link RequestHandler} answers for one submitted request. */
public sealed interface SubmitOutcome {

    /** The replica's signed {@code Reply}, as a serialized {@code Envelope}; sent to the client unchanged. */
    record Replied(Bytes replyEnvelope) implements SubmitOutcome {
        public Replied {
            Objects.requireNonNull(replyEnvelope, "replyEnvelope");
        }
    }

    /**
     * The replica refused the request and nothing it holds changed.
     *
     * @param refusal the category, which decides the HTTP status
     * @param detail a human-readable explanation that is sent to the client
     */
    record Refused(Refusal refusal, String detail) implements SubmitOutcome {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /**
     * Why a replica refused a request. Each becomes the {@link ErrorCode} of the same name and its HTTP
     * status (see docs/client-protocol.md).
     */
    enum Refusal {
        /** The bytes are not a well-formed envelope: 400. */
        MALFORMED("malformed envelope"),
        /** A well-formed envelope that does not hold one client request: 400. */
        NOT_A_CLIENT_REQUEST("wrong message type"),
        /** The envelope or its operation exceeds a limit: 413. */
        OVERSIZED("too large"),
        /** The signature does not verify against the client id the request names: 403. */
        BAD_SIGNATURE("bad signature"),
        /** The request number is older than one the replica executed or holds for this client: 409. */
        STALE_REQUEST("stale request"),
        /** The replica holds as many pending requests as it may: 503, retry later. */
        OVERLOADED("overloaded"),
        /** The replica cannot serve requests now (it halted, or it is starting): 503. */
        UNAVAILABLE("unavailable");

        private final String label;

        Refusal(String label) {
            this.label = label;
        }

        /** The stable text that starts the response body, for example "stale request". */
        public String label() {
            return label;
        }
    }
}
