package io.concordat.simulator;

import java.util.ArrayList;
import java.util.List;

/**
 * Liveness: once the faults heal (at most f faulty replicas), every client operation completes within
 * the liveness phase's tick bound. Replicas that fell behind catch up by state transfer, and a crashed
 * or stranded primary is replaced by a view change, so there is no excuse left for a stuck run.
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
        List<ClientOperation> pending = new ArrayList<>();
        for (ClientOperation operation : operations) {
            if (!operation.isCompleted()) {
                pending.add(operation);
            }
        }
        long completed = operations.size() - pending.size();
        if (completed >= operationsExpected) {
            return List.of();
        }
        return List.of("liveness: only " + completed + " of " + operationsExpected
                + " client operations completed by tick " + lastTick + "; pending: "
                + pending.subList(0, Math.min(LISTED_MAX, pending.size())));
    }
}
