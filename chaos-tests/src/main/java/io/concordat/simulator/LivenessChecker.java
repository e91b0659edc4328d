package io.concordat.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Liveness: once the faults heal (with at most f faulty replicas, all backups), every client operation
 * completes within the liveness phase's tick bound.
 *
 * <p>One exemption, because state transfer is not implemented yet: a correct replica that fell behind
 * the stable checkpoint of every other correct replica can never catch up (the slots it misses were
 * garbage-collected). If such stranded replicas leave fewer than 2f+1 correct replicas that can still
 * take part, progress would need the Byzantine replicas' help, which PBFT does not promise; the run is
 * then reported as exempt instead of failed.
 */
public final class LivenessChecker {
    private static final int LISTED_MAX = 5;

    /** Where a correct replica that has not crashed stands at the end of the run. */
    public record ReplicaProgress(int replicaId, long lastExecutedSequence, long lowWatermark) {}

    /** The liveness outcome: violations, or the reason none are reported. */
    public record Verdict(List<String> violations, Optional<String> exemption) {
        public Verdict {
            violations = List.copyOf(violations);
        }
    }

    private LivenessChecker() {}

    /**
     * @param operations every operation the clients invoked
     * @param operationsExpected how many operations the clients were to run in total
     * @param lastTick the tick the run stopped at
     * @param correctAndUp the correct replicas that did not crash
     * @param quorum 2f+1
     */
    public static Verdict check(List<ClientOperation> operations, long operationsExpected, long lastTick,
            List<ReplicaProgress> correctAndUp, int quorum) {
        List<ClientOperation> pending = new ArrayList<>();
        for (ClientOperation operation : operations) {
            if (!operation.isCompleted()) {
                pending.add(operation);
            }
        }
        long completed = operations.size() - pending.size();
        if (completed >= operationsExpected) {
            return new Verdict(List.of(), Optional.empty());
        }
        String violation = "liveness: only " + completed + " of " + operationsExpected
                + " client operations completed by tick " + lastTick + "; pending: "
                + pending.subList(0, Math.min(LISTED_MAX, pending.size()));
        List<Integer> stranded = stranded(correctAndUp);
        if (!stranded.isEmpty() && correctAndUp.size() - stranded.size() < quorum) {
            return new Verdict(List.of(), Optional.of("needs state transfer: replicas " + stranded
                    + " fell behind every other correct replica's stable checkpoint, leaving fewer than " + quorum
                    + " correct replicas able to order (" + violation + ")"));
        }
        return new Verdict(List.of(violation), Optional.empty());
    }

    /** The replicas whose next sequence number every other correct replica has already garbage-collected. */
    private static List<Integer> stranded(List<ReplicaProgress> correctAndUp) {
        List<Integer> stranded = new ArrayList<>();
        for (ReplicaProgress replica : correctAndUp) {
            boolean someoneStillHoldsTheNextSlot = false;
            for (ReplicaProgress other : correctAndUp) {
                if (other.replicaId() != replica.replicaId() && other.lowWatermark() <= replica.lastExecutedSequence()) {
                    someoneStillHoldsTheNextSlot = true;
                }
            }
            if (!someoneStillHoldsTheNextSlot && correctAndUp.size() > 1) {
                stranded.add(replica.replicaId());
            }
        }
        return stranded;
    }
}
