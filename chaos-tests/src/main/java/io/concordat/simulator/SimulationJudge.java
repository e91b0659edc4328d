package io.concordat.simulator;

import io.concordat.app.kv.KeyValueStore;
import io.concordat.crypto.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Runs every checker over a finished run; only correct replicas (crashed ones included) are judged. */
final class SimulationJudge {
    private SimulationJudge() {}

    static SimulationResult judge(SimulationParameters parameters, List<SimulatedReplica> replicas,
            List<SimulatedClient> clients, Optional<String> crash, long lastTick, Digest traceHash, RunCounts counts) {
        List<String> violations = new ArrayList<>();
        crash.ifPresent(violations::add);
        List<ReplicaHistory> correct = new ArrayList<>();
        for (SimulatedReplica replica : replicas) {
            if (!replica.isByzantine()) {
                correct.add(replica.history());
                violations.addAll(replica.stepViolations());
            }
        }
        List<ClientOperation> operations = new ArrayList<>();
        for (SimulatedClient client : clients) {
            operations.addAll(client.operations());
        }
        violations.addAll(AgreementChecker.check(correct));
        violations.addAll(CheckpointChecker.check(correct));
        violations.addAll(LinearizabilityChecker.check(AgreementChecker.agreedLog(correct), operations,
                KeyValueStore::new));
        if (crash.isEmpty()) {
            long expected = (long) parameters.clientCount() * parameters.operationsPerClient();
            violations.addAll(LivenessChecker.check(operations, expected, lastTick));
        }
        return new SimulationResult(parameters, traceHash, lastTick, violations, counts);
    }
}
