package io.concordat.replica;

import io.concordat.common.Bytes;
import java.util.Objects;

/** What a replica answers to one client submission. */
public sealed interface ClientResponse {

    /**
     * The replica's authenticated reply for the client, as envelope bytes. The client checks its MAC and
     * waits for f+1 matching replies (2f+1 for read-only requests) from different replicas.
     */
    record Replied(Bytes replyEnvelope) implements ClientResponse {
        public Replied {
            Objects.requireNonNull(replyEnvelope, "replyEnvelope");
        }
    }

    /** The replica refused the submission; nothing it holds changed. */
    record Rejected(RejectionReason reason, String detail) implements ClientResponse {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        /** For example {@code "bad signature: the request's signature does not verify"}. */
        public String message() {
            return detail.isEmpty() ? reason.label() : reason.label() + ": " + detail;
        }
    }
}
