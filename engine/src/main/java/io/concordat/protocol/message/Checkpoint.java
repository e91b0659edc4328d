package io.concordat.protocol.message;

import io.concordat.crypto.Digest;
import java.util.Objects;

/**
 * ⟨CHECKPOINT, n, d, i⟩ from PBFT §4.3: replica i has executed every batch up to sequence n and its
 * replicated state (application plus client sessions) has digest d.
 */
public record Checkpoint(long sequence, Digest stateDigest, int replicaId) implements ReplicaMessage {
    public Checkpoint {
        Objects.requireNonNull(stateDigest, "stateDigest");
    }
}
