package io.concordat.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Liveness: once the faults heal (with at most f faulty replicas, all backups), every client operation
 * completes within the liveness phase's tick bound.
 *
 * <p>One exemption, because state transfer and the view change are not implemented yet: a correct
 * replica that fell behind the stable checkpoint of every correct replica ahead of it can never catch up (the
 * slots it misses were garbage-collected). If such a stranded replica is the primary (its window never
 * moves again, and no view change replaces it), or stranded replicas leave fewer than 2f+1 correct
 * replicas that can still take part (progress would need the Byzantine replicas' help, which PBFT does
 * not promise), the run is reported as exempt instead of failed. Safety is judged regardless.
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
     * @param primary the primary's replica id
     */
    public static Verdict check(List<ClientOperation> operations, long operationsExpected, long lastTick,
            List<ReplicaProgress> correctAndUp, int quorum, int primary) {
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
        if (stranded.contains(primary)) {
            return new Verdict(List.of(), Optional.of("needs state transfer or a view change: the primary " + primary
                    + " fell behind the stable checkpoint of every correct replica ahead of it (" + violation + ")"));
        }
        if (!stranded.isEmpty() && correctAndUp.size() - stranded.size() < quorum) {
            return new Verdict(List.of(), Optional.of("needs state transfer: replicas " + stranded
                    + " fell behind the stable checkpoint of every correct replica ahead of it, leaving fewer than " + quorum
                    + " correct replicas able to order (" + violation + ")"));
        }
        return new Verdict(List.of(violation), Optional.empty());
    }

    /**
     * The replicas that are behind and cannot catch up: every correct replica that executed their next
     * sequence number has already garbage-collected it (its low watermark is past it).
     */
    private static List<Integer> stranded(List<ReplicaProgress> correctAndUp) {
        List<Integer> stranded = new ArrayList<>();
        for (ReplicaProgress replica : correctAndUp) {
            boolean behind = false;
            boolean someoneAheadStillHoldsTheNextSlot = false;
            for (ReplicaProgress other : correctAndUp) {
                if (other.lastExecutedSequence() > replica.lastExecutedSequence()) {
                    behind = true;
                    someoneAheadStillHoldsTheNextSlot |= other.lowWatermark() <= replica.lastExecutedSequence();
                }
            }
            if (behind && !someoneAheadStillHoldsTheNextSlot) {
                stranded.add(replica.replicaId());
            }
        }
        return stranded;
    }
}
