package io.concordat.protocol.message;

import io.concordat.crypto.Digest;
import java.util.Objects;

/** ⟨COMMIT, v, n, d, i⟩ from PBFT §4.2, sent by a replica once the batch is prepared. */
public record Commit(long view, long sequence, Digest batchDigest, int replicaId) implements ReplicaMessage {
    public Commit {
        Objects.requireNonNull(batchDigest, "batchDigest");
    }
}
