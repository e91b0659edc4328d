package io.concordat.simulator;

import io.concordat.protocol.DropReason;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts from one run, for the report and for tests that show a fault really happened. None of them
 * decides pass or fail.
 *
 * @param undecodable envelopes the codec rejected on delivery
 * @param restarts replicas that came back from their journal
 * @param snapshotsRestored snapshots restored by state transfer or recovery, over all replicas
 * @param highestView the highest view any correct replica reached
 * @param correctReplicaDrops inputs the correct replicas dropped, by reason
 */
public record RunCounts(
        String network,
        long undecodable,
        long highestExecutedSequence,
        long persistedEvents,
        long clientRetransmissions,
        long clientRepliesRejected,
        long restarts,
        long snapshotsRestored,
        long highestView,
        Map<DropReason, Long> correctReplicaDrops,
        ByzantineCounts byzantine) {

    public RunCounts {
        Objects.requireNonNull(network, "network");
        EnumMap<DropReason, Long> drops = new EnumMap<>(DropReason.class);
        drops.putAll(correctReplicaDrops);
        correctReplicaDrops = Collections.unmodifiableMap(drops);
        Objects.requireNonNull(byzantine, "byzantine");
    }

    public long drops(DropReason reason) {
        return correctReplicaDrops.getOrDefault(reason, 0L);
    }

    @Override
    public String toString() {
        return "network: " + network + "; undecodable " + undecodable + "; highest executed sequence "
                + highestExecutedSequence + "; events persisted " + persistedEvents + "; client retransmissions "
                + clientRetransmissions + ", replies rejected " + clientRepliesRejected + "; restarts " + restarts
                + ", snapshots restored " + snapshotsRestored + ", highest view " + highestView
                + "; correct replicas dropped "
                + correctReplicaDrops + "; byzantine " + byzantine;
    }
}
