package io.concordat.simulator;

import io.concordat.crypto.Digest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * PBFT §4.3: correct replicas that executed the same batches have the same state, so every checkpoint
 * any of them took or saw become stable carries the same state digest at the same sequence number.
 */
public final class CheckpointChecker {
    private CheckpointChecker() {}

    public static List<String> check(Collection<ReplicaHistory> correctReplicas) {
        List<String> violations = new ArrayList<>();
        NavigableMap<Long, Digest> firstSeen = new TreeMap<>();
        NavigableMap<Long, String> firstSeenBy = new TreeMap<>();
        for (ReplicaHistory history : correctReplicas) {
            compare(history.replicaId(), "taken", history.checkpointsTaken(), firstSeen, firstSeenBy, violations);
            compare(history.replicaId(), "stable", history.checkpointsStable(), firstSeen, firstSeenBy, violations);
        }
        return violations;
    }

    private static void compare(int replicaId, String kind, NavigableMap<Long, Digest> checkpoints,
            NavigableMap<Long, Digest> firstSeen, NavigableMap<Long, String> firstSeenBy, List<String> violations) {
        for (Map.Entry<Long, Digest> checkpoint : checkpoints.entrySet()) {
            String who = "replica " + replicaId + " (" + kind + ")";
            Digest earlier = firstSeen.putIfAbsent(checkpoint.getKey(), checkpoint.getValue());
            if (earlier == null) {
                firstSeenBy.put(checkpoint.getKey(), who);
            } else if (!earlier.equals(checkpoint.getValue())) {
                violations.add("checkpoint: at sequence " + checkpoint.getKey() + " " + firstSeenBy.get(checkpoint.getKey())
                        + " has state digest " + earlier + " but " + who + " has " + checkpoint.getValue());
            }
        }
    }
}
