package io.concordat.simulator;

import io.concordat.protocol.DropReason;
import io.concordat.protocol.ReplicaStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Gathers the {@link RunCounts} of a run. */
final class SimulationStatistics {
    long decodeRejections;
    long repliesToUnknownClients;

    RunCounts collect(NetworkStatistics network, List<SimulatedReplica> replicas, List<SimulatedClient> clients) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        long executedMax = 0;
        long persisted = 0;
        long restarts = 0;
        long restores = 0;
        long highestView = 0;
        ByzantineCounts byzantine = ByzantineCounts.NONE;
        for (SimulatedReplica replica : replicas) {
            ReplicaStatus status = replica.driver().replica().status();
            if (replica.isByzantine()) {
                byzantine = byzantine.plus(replica.byzantineCounts());
            } else {
                for (DropReason reason : DropReason.values()) {
                    drops.merge(reason, status.dropCounts().getOrDefault(reason, 0L), Long::sum);
                }
            }
            executedMax = Math.max(executedMax, status.lastExecutedSequence());
            persisted += replica.history().persistedEvents();
            restarts += replica.restarts();
            restores += replica.history().restores();
            if (!replica.isByzantine()) {
                highestView = Math.max(highestView, status.view());
            }
        }
        drops.values().removeIf(count -> count == 0);
        long retransmissions = 0;
        long repliesRejected = 0;
        for (SimulatedClient client : clients) {
            retransmissions += client.retransmissions();
            repliesRejected += client.repliesRejected();
        }
        return new RunCounts(network.toString() + (repliesToUnknownClients > 0
                ? ", replies to unknown clients " + repliesToUnknownClients : ""), decodeRejections, executedMax,
                persisted, retransmissions, repliesRejected, restarts, restores, highestView, drops, byzantine);
    }
}
