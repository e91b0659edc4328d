package io.concordat.protocol.message;

import io.concordat.crypto.Digest;
import java.util.Objects;

/**
 * ⟨PRE-PREPARE, v, n, d⟩ from PBFT §4.2. The batch travels beside it (see
 * {@link io.concordat.protocol.message.Envelope.PrePrepareEnvelope}) and is not signed here: the digest
 * binds it. This keeps view-change certificates small, as in the paper.
 */
public record PrePrepare(long view, long sequence, Digest batchDigest, int replicaId) implements ReplicaMessage {
    public PrePrepare {
        Objects.requireNonNull(batchDigest, "batchDigest");
    }
}
