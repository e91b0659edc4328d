package io.concordat.protocol.message;

import io.concordat.crypto.Digest;
import java.util.Objects;

/**
 * Asks a replica for one chunk of its state at a stable checkpoint: the application snapshot and the client
 * sessions, as certified by 2f+1 CHECKPOINT messages with {@code stateDigest}.
 */
public record StateRequest(long sequence, Digest stateDigest, int chunkIndex, int replicaId) implements ReplicaMessage {
    public StateRequest {
        Objects.requireNonNull(stateDigest, "stateDigest");
        if (chunkIndex < 0) {
            throw new IllegalArgumentException("chunkIndex must be >= 0, got " + chunkIndex);
        }
    }
}
