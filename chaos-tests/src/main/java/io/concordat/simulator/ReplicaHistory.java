package io.concordat.simulator;

import io.concordat.crypto.Digest;
import io.concordat.protocol.CheckpointNotice;
import io.concordat.protocol.Execution;
import io.concordat.protocol.Ready;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * What one replica did, as far as the checkers care: the batches it executed, the checkpoints it took
 * and saw become stable, and any rule it broke on its own (executing out of order, executing a sequence
 * twice, changing a checkpoint's digest).
 */
public final class ReplicaHistory {
    private final int replicaId;
    private final NavigableMap<Long, ExecutedBatch> executed = new TreeMap<>();
    private final NavigableMap<Long, Digest> checkpointsTaken = new TreeMap<>();
    private final NavigableMap<Long, Digest> checkpointsStable = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    private long persistedEvents;

    public ReplicaHistory(int replicaId) {
        this.replicaId = replicaId;
    }

    public int replicaId() {
        return replicaId;
    }

    /** Records one {@link Ready}; {@code tick} only labels violations. */
    void record(Ready ready, long tick) {
        persistedEvents += ready.persist().size();
        for (Execution execution : ready.execute()) {
            if (execution instanceof Execution.ExecuteBatch batch) {
                recordExecution(new ExecutedBatch(batch.sequence(), batch.batchDigest(), batch.requests()), tick);
            }
        }
        for (CheckpointNotice notice : ready.checkpoints()) {
            if (notice instanceof CheckpointNotice.Taken taken) {
                recordCheckpoint(checkpointsTaken, "taken", taken.sequence(), taken.stateDigest(), tick);
            } else {
                CheckpointNotice.Stable stable = (CheckpointNotice.Stable) notice;
                recordCheckpoint(checkpointsStable, "stable", stable.sequence(), stable.stateDigest(), tick);
            }
        }
    }

    /** Records one executed batch; PBFT executes in sequence order only, 1, 2, 3, ... */
    public void recordExecution(ExecutedBatch batch, long tick) {
        long expected = executed.isEmpty() ? 1 : executed.lastKey() + 1;
        if (batch.sequence() != expected) {
            violations.add("replica " + replicaId + " executed sequence " + batch.sequence() + " at tick " + tick
                    + " but the next in order was " + expected);
        }
        if (executed.putIfAbsent(batch.sequence(), batch) != null) {
            violations.add("replica " + replicaId + " executed sequence " + batch.sequence() + " twice (tick " + tick + ")");
        }
    }

    public void recordCheckpoint(boolean stable, long sequence, Digest stateDigest, long tick) {
        recordCheckpoint(stable ? checkpointsStable : checkpointsTaken, stable ? "stable" : "taken", sequence,
                stateDigest, tick);
    }

    private void recordCheckpoint(NavigableMap<Long, Digest> checkpoints, String kind, long sequence, Digest digest,
            long tick) {
        Digest earlier = checkpoints.putIfAbsent(sequence, digest);
        if (earlier != null && !earlier.equals(digest)) {
            violations.add("replica " + replicaId + " reported checkpoint " + sequence + " " + kind + " with digest "
                    + earlier + " and later " + digest + " (tick " + tick + ")");
        }
    }

    public NavigableMap<Long, ExecutedBatch> executed() {
        return Collections.unmodifiableNavigableMap(executed);
    }

    public NavigableMap<Long, Digest> checkpointsTaken() {
        return Collections.unmodifiableNavigableMap(checkpointsTaken);
    }

    public NavigableMap<Long, Digest> checkpointsStable() {
        return Collections.unmodifiableNavigableMap(checkpointsStable);
    }

    /** Rules this replica broke by itself, found while recording. */
    public List<String> violations() {
        return List.copyOf(violations);
    }

    long persistedEvents() {
        return persistedEvents;
    }
}
