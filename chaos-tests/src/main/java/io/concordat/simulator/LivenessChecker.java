package io.concordat.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Liveness: once the faults heal (with at most f faulty replicas, all backups), every client operation
 * completes within the liveness phase's tick bound.
 */
public final class LivenessChecker {
    private static final int LISTED_MAX = 5;

    private LivenessChecker() {}

    /**
     * @param operations every operation the clients invoked
     * @param operationsExpected how many operations the clients were to run in total
     * @param lastTick the tick the run stopped at
     */
    public static List<String> check(List<ClientOperation> operations, long operationsExpected, long lastTick) {
        List<String> violations = new ArrayList<>();
        List<ClientOperation> pending = new ArrayList<>();
        for (ClientOperation operation : operations) {
            if (!operation.isCompleted()) {
                pending.add(operation);
            }
        }
        long completed = operations.size() - pending.size();
        if (completed < operationsExpected) {
            violations.add("liveness: only " + completed + " of " + operationsExpected
                    + " client operations completed by tick " + lastTick + "; pending: "
                    + pending.subList(0, Math.min(LISTED_MAX, pending.size())));
        }
        return violations;
    }
}
