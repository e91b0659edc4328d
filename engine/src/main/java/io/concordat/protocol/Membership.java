package io.concordat.protocol;

import io.concordat.crypto.PublicKey;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The replica set of one cluster: n = 3f+1 replicas, numbered 0..n-1, each with its Ed25519 public key.
 * It comes from the signed cluster definition, never from Pekko Cluster membership, which is crash-fault
 * logic and must not decide a Byzantine quorum.
 */
public record Membership(int faultsTolerated, List<PublicKey> replicaKeys) {
    public Membership {
        Objects.requireNonNull(replicaKeys, "replicaKeys");
        replicaKeys = List.copyOf(replicaKeys);
        if (faultsTolerated < 1) {
            throw new IllegalArgumentException("f (faultsTolerated) must be at least 1, got " + faultsTolerated);
        }
        if (replicaKeys.size() != 3 * faultsTolerated + 1) {
            throw new IllegalArgumentException("f = " + faultsTolerated + " needs exactly n = 3f+1 = "
                    + (3 * faultsTolerated + 1) + " replicas, got " + replicaKeys.size());
        }
        if (new HashSet<>(replicaKeys).size() != replicaKeys.size()) {
            throw new IllegalArgumentException("two replicas share a public key");
        }
    }

    /** n, the number of replicas. */
    public int size() {
        return replicaKeys.size();
    }

    /** 2f+1: the size of every quorum in PBFT (prepared certificates count the pre-prepare plus 2f prepares). */
    public int quorum() {
        return 2 * faultsTolerated + 1;
    }

    /** f+1: enough matching messages that at least one comes from a correct replica. */
    public int weakQuorum() {
        return faultsTolerated + 1;
    }

    /** The primary of view v is replica v mod n (PBFT §4.1). */
    public int primaryOf(long view) {
        return (int) Math.floorMod(view, (long) size());
    }

    public boolean isMember(int replicaId) {
        return replicaId >= 0 && replicaId < size();
    }

    public Optional<PublicKey> keyOf(int replicaId) {
        return isMember(replicaId) ? Optional.of(replicaKeys.get(replicaId)) : Optional.empty();
    }
}
