package io.concordat.simulator;

import io.concordat.app.kv.KeyValueStore;
import io.concordat.crypto.Digest;
import io.concordat.protocol.ReplicaStatus;
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
        List<LivenessChecker.ReplicaProgress> correctAndUp = new ArrayList<>();
        for (SimulatedReplica replica : replicas) {
            if (!replica.isByzantine()) {
                correct.add(replica.history());
                violations.addAll(replica.orderRuleViolations());
            }
            if (!replica.isByzantine() && !replica.isCrashed() && crash.isEmpty()) {
                ReplicaStatus status = replica.driver().replica().status();
                correctAndUp.add(new LivenessChecker.ReplicaProgress(replica.replicaId(), status.lastExecutedSequence(),
                        status.lowWatermark()));
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
        Optional<String> exemption = Optional.empty();
        if (crash.isEmpty()) {
            long expected = (long) parameters.clientCount() * parameters.operationsPerClient();
            LivenessChecker.Verdict liveness = LivenessChecker.check(operations, expected, lastTick, correctAndUp,
                    2 * parameters.faultsTolerated() + 1, 0);
            violations.addAll(liveness.violations());
            exemption = liveness.exemption();
        }
        return new SimulationResult(parameters, traceHash, lastTick, violations, exemption, counts);
    }
}
