package io.concordat.simulator;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Safety, PBFT §4.5.1: no two correct replicas execute different batches at the same sequence number.
 * "Different" means a different batch digest or a different list of executed requests. It also reports
 * the rules each replica broke on its own (executing out of order or twice).
 */
public final class AgreementChecker {
    private AgreementChecker() {}

    /** The violations among {@code correctReplicas}; empty when they agree. */
    public static List<String> check(Collection<ReplicaHistory> correctReplicas) {
        List<String> violations = new ArrayList<>();
        NavigableMap<Long, ExecutedBatch> firstSeen = new TreeMap<>();
        NavigableMap<Long, Integer> firstSeenBy = new TreeMap<>();
        for (ReplicaHistory history : correctReplicas) {
            violations.addAll(history.violations());
            for (ExecutedBatch batch : history.executed().values()) {
                ExecutedBatch earlier = firstSeen.putIfAbsent(batch.sequence(), batch);
                if (earlier == null) {
                    firstSeenBy.put(batch.sequence(), history.replicaId());
                } else if (!earlier.batchDigest().equals(batch.batchDigest())) {
                    violations.add("agreement: at sequence " + batch.sequence() + " replica "
                            + firstSeenBy.get(batch.sequence()) + " executed batch " + earlier.batchDigest()
                            + " but replica " + history.replicaId() + " executed " + batch.batchDigest());
                } else if (!earlier.requests().equals(batch.requests())) {
                    violations.add("agreement: at sequence " + batch.sequence() + " replicas "
                            + firstSeenBy.get(batch.sequence()) + " and " + history.replicaId()
                            + " executed batch " + batch.batchDigest() + " with different requests ("
                            + earlier.requests().size() + " and " + batch.requests().size() + ")");
                }
            }
        }
        return violations;
    }

    /**
     * The agreed log: for every sequence number some correct replica executed, that batch, in sequence
     * order. Meaningful once {@link #check} found no violation.
     */
    public static List<ExecutedBatch> agreedLog(Collection<ReplicaHistory> correctReplicas) {
        NavigableMap<Long, ExecutedBatch> log = new TreeMap<>();
        for (ReplicaHistory history : correctReplicas) {
            for (ExecutedBatch batch : history.executed().values()) {
                log.putIfAbsent(batch.sequence(), batch);
            }
        }
        return List.copyOf(log.values());
    }
}
