package io.concordat.simulator;

import io.concordat.crypto.Digest;
import io.concordat.protocol.CheckpointNotice;
import io.concordat.protocol.Execution;
import io.concordat.protocol.Ready;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one replica did, as far as the checkers care: the batches it executed, the checkpoints it took
 * and saw become stable, and any rule it broke on its own (executing out of order, executing a sequence
 * twice differently, changing a checkpoint's digest). It spans restarts.
 */
public final class ReplicaHistory {
    private final int replicaId;
    private final NavigableMap<Long, ExecutedBatch> executed = new TreeMap<>();
    private final NavigableMap<Long, Digest> checkpointsTaken = new TreeMap<>();
    private final NavigableMap<Long, Digest> checkpointsStable = new TreeMap<>();
    private final List<String> violations = new ArrayList<>();
    /** The sequence the state machine is at in this incarnation; empty right after a restart. */
    private Optional<Long> position = Optional.of(0L);
    private long persistedEvents;
    private long restores;

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
            } else if (execution instanceof Execution.RestoreSnapshot restore) {
                recordRestore(restore.sequence());
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

    /**
     * Records one executed batch. PBFT executes in sequence order only: each batch follows the previous
     * one or the state a snapshot restored. After a restart the replica executes again what it had
     * committed, which must be exactly what it executed before.
     */
    public void recordExecution(ExecutedBatch batch, long tick) {
        if (position.isPresent() && batch.sequence() != position.get() + 1) {
            violations.add("replica " + replicaId + " executed sequence " + batch.sequence() + " at tick " + tick
                    + " but the next in order was " + (position.get() + 1));
        }
        position = Optional.of(batch.sequence());
        ExecutedBatch earlier = executed.putIfAbsent(batch.sequence(), batch);
        if (earlier != null && !earlier.equals(batch)) {
            violations.add("replica " + replicaId + " executed sequence " + batch.sequence() + " twice, differently"
                    + " (batch " + earlier.batchDigest() + " and then " + batch.batchDigest() + " at tick " + tick + ")");
        }
    }

    /** State transfer or recovery restored the state as of {@code sequence}; execution continues after it. */
    public void recordRestore(long sequence) {
        position = Optional.of(sequence);
        restores++;
    }

    /** The replica crashed and restarts from its persisted events: where it resumes is up to recovery. */
    public void recordRestart() {
        position = Optional.empty();
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

    long restores() {
        return restores;
    }
}
