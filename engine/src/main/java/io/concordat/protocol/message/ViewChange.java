package io.concordat.protocol.message;

import io.concordat.crypto.Digest;
import java.util.List;
import java.util.Objects;

/**
 * ⟨VIEW-CHANGE, v+1, n, C, P, i⟩ from PBFT §4.4: replica i moves to {@code newView}. It carries its stable
 * checkpoint (sequence n and the 2f+1 CHECKPOINT messages that prove it; none for the initial state at
 * sequence 0) and a prepared certificate for every sequence number above n that prepared at i, from the
 * highest view in which it prepared.
 */
public record ViewChange(long newView, long stableSequence, Digest stableDigest, List<Signed<Checkpoint>> checkpointProof,
        List<PreparedCertificate> preparedCertificates, int replicaId) implements ReplicaMessage {
    public ViewChange {
        Objects.requireNonNull(stableDigest, "stableDigest");
        checkpointProof = List.copyOf(checkpointProof);
        preparedCertificates = List.copyOf(preparedCertificates);
    }
}
