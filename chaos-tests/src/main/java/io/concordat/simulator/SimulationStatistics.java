package io.concordat.simulator;

import io.concordat.protocol.DropReason;
import io.concordat.protocol.ReplicaStatus;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Counts gathered during a run, for the report; none of them decides pass or fail. */
final class SimulationStatistics {
    long decodeRejections;
    long repliesToUnknownClients;

    String describe(NetworkStatistics network, List<SimulatedReplica> replicas, List<SimulatedClient> clients) {
        Map<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        long executedMax = 0;
        long persisted = 0;
        for (SimulatedReplica replica : replicas) {
            ReplicaStatus status = replica.driver().replica().status();
            for (DropReason reason : DropReason.values()) {
                drops.merge(reason, status.dropCounts().getOrDefault(reason, 0L), Long::sum);
            }
            executedMax = Math.max(executedMax, status.lastExecutedSequence());
            persisted += replica.history().persistedEvents();
        }
        drops.values().removeIf(count -> count == 0);
        long retransmissions = 0;
        long repliesRejected = 0;
        for (SimulatedClient client : clients) {
            retransmissions += client.retransmissions();
            repliesRejected += client.repliesRejected();
        }
        return "network: " + network + "; undecodable " + decodeRejections + "; highest executed sequence "
                + executedMax + "; events persisted " + persisted + "; client retransmissions " + retransmissions
                + ", replies rejected " + repliesRejected + "; replicas dropped " + drops;
    }
}
