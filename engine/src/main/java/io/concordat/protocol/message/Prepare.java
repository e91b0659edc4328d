package io.concordat.protocol.message;

import io.concordat.crypto.Digest;
import java.util.Objects;

/** ⟨PREPARE, v, n, d, i⟩ from PBFT §4.2, sent by backups that accepted the pre-prepare. */
public record Prepare(long view, long sequence, Digest batchDigest, int replicaId) implements ReplicaMessage {
    public Prepare {
        Objects.requireNonNull(batchDigest, "batchDigest");
    }
}
