package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CHECKPOINT messages above the low watermark, by sequence number and sender, and the proof of the last
 * stable checkpoint (PBFT §4.3). A checkpoint is stable once 2f+1 replicas sent matching messages and this
 * replica's own checkpoint at that sequence agrees with them.
 */
final class CheckpointTracker {
    /** The digest that stands for the initial state, the implicit stable checkpoint at sequence 0. */
    static final Digest GENESIS_DIGEST = io.concordat.crypto.Sha256.of(io.concordat.common.Bytes.ofUtf8("concordat-genesis"));

    private final Membership membership;
    private final int replicaId;
    private static final int AHEAD_PER_SENDER = 2;

    private final NavigableMap<Long, Map<Integer, Signed<Checkpoint>>> messages = new TreeMap<>();
    private long stableSequence;
    private Optional<Digest> stableDigest = Optional.empty();
    private List<Signed<Checkpoint>> stableProof = List.of();

    CheckpointTracker(Membership membership, int replicaId) {
        this.membership = membership;
        this.replicaId = replicaId;
    }

    /** Stores a verified checkpoint message; the first message of a sender for a sequence stands. */
    Optional<Rejection> add(Signed<Checkpoint> message) {
        Checkpoint body = message.body();
        Map<Integer, Signed<Checkpoint>> atSequence = messages.computeIfAbsent(body.sequence(), s -> new TreeMap<>());
        Signed<Checkpoint> existing = atSequence.get(body.replicaId());
        if (existing != null) {
            return Optional.of(existing.body().stateDigest().equals(body.stateDigest())
                    ? Rejection.of(DropReason.DUPLICATE, "checkpoint %d from replica %d already held",
                            body.sequence(), body.replicaId())
                    : Rejection.of(DropReason.CONFLICTING, "replica %d sent two digests for checkpoint %d",
                            body.replicaId(), body.sequence()));
        }
        atSequence.put(body.replicaId(), message);
        return Optional.empty();
    }

    /**
     * Stores a verified checkpoint message above the high watermark. Such messages show that this replica
     * fell behind; each sender keeps only its {@value #AHEAD_PER_SENDER} highest, so a liar cannot grow the
     * memory without bound.
     */
    Optional<Rejection> addAhead(Signed<Checkpoint> message, long highWatermark) {
        Optional<Rejection> rejection = add(message);
        if (rejection.isEmpty()) {
            int sender = message.body().replicaId();
            List<Long> ahead = new ArrayList<>();
            for (Map.Entry<Long, Map<Integer, Signed<Checkpoint>>> entry : messages.tailMap(highWatermark, false).entrySet()) {
                if (entry.getValue().containsKey(sender)) {
                    ahead.add(entry.getKey());
                }
            }
            for (int index = 0; index < ahead.size() - AHEAD_PER_SENDER; index++) {
                Map<Integer, Signed<Checkpoint>> atSequence = messages.get(ahead.get(index));
                atSequence.remove(sender);
                if (atSequence.isEmpty()) {
                    messages.remove(ahead.get(index));
                }
            }
        }
        return rejection;
    }

    /**
     * The highest checkpoint above {@code sequence} that 2f+1 replicas certified with matching messages,
     * whether or not this replica reached it: the target of a state transfer.
     */
    Optional<List<Signed<Checkpoint>>> findCertifiedAbove(long sequence) {
        for (Map.Entry<Long, Map<Integer, Signed<Checkpoint>>> entry : messages.descendingMap().entrySet()) {
            if (entry.getKey() <= sequence) {
                break;
            }
            Map<Digest, List<Signed<Checkpoint>>> byDigest = new TreeMap<>();
            for (Signed<Checkpoint> message : entry.getValue().values()) {
                byDigest.computeIfAbsent(message.body().stateDigest(), digest -> new ArrayList<>()).add(message);
            }
            for (List<Signed<Checkpoint>> matching : byDigest.values()) {
                if (matching.size() >= membership.quorum()) {
                    return Optional.of(List.copyOf(matching));
                }
            }
        }
        return Optional.empty();
    }

    /** Adds the messages of a proof that came from elsewhere (replay, a NEW-VIEW); duplicates are ignored. */
    void addProof(List<Signed<Checkpoint>> proof) {
        for (Signed<Checkpoint> message : proof) {
            if (message.body().sequence() > stableSequence) {
                add(message);
            }
        }
    }

    Optional<Digest> ownDigest(long sequence) {
        Map<Integer, Signed<Checkpoint>> atSequence = messages.get(sequence);
        if (atSequence == null || !atSequence.containsKey(replicaId)) {
            return Optional.empty();
        }
        return Optional.of(atSequence.get(replicaId).body().stateDigest());
    }

    /**
     * The highest checkpoint above the current stable one and at most {@code lastExecutedSequence} that now
     * has a proof: 2f+1 matching messages, one of them this replica's own. Its proof is the matching messages.
     */
    Optional<List<Signed<Checkpoint>>> findNewlyStable(long lastExecutedSequence) {
        Optional<List<Signed<Checkpoint>>> found = Optional.empty();
        // Only checkpoints this replica executed through: after a crash, replayed own checkpoint messages can
        // be ahead of re-execution, and the low watermark must never pass the last executed sequence.
        for (Map.Entry<Long, Map<Integer, Signed<Checkpoint>>> entry
                : messages.subMap(stableSequence, false, lastExecutedSequence, true).entrySet()) {
            Optional<Digest> own = ownDigest(entry.getKey());
            if (own.isEmpty()) {
                continue;
            }
            List<Signed<Checkpoint>> matching = new ArrayList<>();
            for (Signed<Checkpoint> message : entry.getValue().values()) {
                if (message.body().stateDigest().equals(own.get())) {
                    matching.add(message);
                }
            }
            if (matching.size() >= membership.quorum()) {
                found = Optional.of(List.copyOf(matching));
            }
        }
        return found;
    }

    /**
     * True if 2f+1 replicas certified a digest at {@code sequence} other than this replica's own: its state
     * diverged from a quorum's.
     */
    boolean divergesFromQuorum(long sequence) {
        Optional<Digest> own = ownDigest(sequence);
        Map<Integer, Signed<Checkpoint>> atSequence = messages.get(sequence);
        if (own.isEmpty() || atSequence == null) {
            return false;
        }
        Map<Digest, Integer> counts = new TreeMap<>();
        for (Signed<Checkpoint> message : atSequence.values()) {
            counts.merge(message.body().stateDigest(), 1, Integer::sum);
        }
        for (Map.Entry<Digest, Integer> count : counts.entrySet()) {
            if (!count.getKey().equals(own.get()) && count.getValue() >= membership.quorum()) {
                return true;
            }
        }
        return false;
    }

    /** Makes {@code proof}'s checkpoint the stable one and discards every message below it. */
    void stabilize(List<Signed<Checkpoint>> proof) {
        Checkpoint first = proof.get(0).body();
        Invariants.check(first.sequence() > stableSequence, "checkpoint %d is not above the stable one %d",
                first.sequence(), stableSequence);
        Invariants.check(proof.size() >= membership.quorum(), "a checkpoint proof needs %d messages, got %d",
                membership.quorum(), proof.size());
        stableSequence = first.sequence();
        stableDigest = Optional.of(first.stateDigest());
        stableProof = List.copyOf(proof);
        messages.headMap(stableSequence, true).clear();
    }

    long stableSequence() {
        return stableSequence;
    }

    Optional<Digest> stableDigest() {
        return stableDigest;
    }

    List<Signed<Checkpoint>> stableProof() {
        return stableProof;
    }

    /** This replica's own checkpoint messages above {@code sequence}, for retransmission. */
    List<Signed<Checkpoint>> ownMessagesAbove(long sequence) {
        List<Signed<Checkpoint>> own = new ArrayList<>();
        for (Map<Integer, Signed<Checkpoint>> atSequence : messages.tailMap(sequence, false).values()) {
            Signed<Checkpoint> message = atSequence.get(replicaId);
            if (message != null) {
                own.add(message);
            }
        }
        return own;
    }

    /** Whether this replica took a checkpoint above the stable one that is not yet stable. */
    boolean hasUnstableOwnCheckpoint() {
        return !ownMessagesAbove(stableSequence).isEmpty();
    }
}
