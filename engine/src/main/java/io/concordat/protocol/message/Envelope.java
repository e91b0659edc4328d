package io.concordat.protocol.message;

import java.util.Objects;

/** The unit that travels between nodes: one signed message, or a pre-prepare with its batch. */
public sealed interface Envelope {

    /** Any single signed message: a client request, prepare, commit, checkpoint, reply or status. */
    record MessageEnvelope(Signed<? extends Signable> message) implements Envelope {
        public MessageEnvelope {
            Objects.requireNonNull(message, "message");
            if (message.body() instanceof PrePrepare) {
                throw new IllegalArgumentException("a pre-prepare travels in a PrePrepareEnvelope with its batch");
            }
        }
    }

    /** A pre-prepare and the batch its digest names (PBFT §4.2 piggybacks the requests the same way). */
    record PrePrepareEnvelope(Signed<PrePrepare> prePrepare, Batch batch) implements Envelope {
        public PrePrepareEnvelope {
            Objects.requireNonNull(prePrepare, "prePrepare");
            Objects.requireNonNull(batch, "batch");
        }
    }
}
