package io.concordat.persistence;

import io.concordat.protocol.ProtocolEvent;
import java.util.List;

/**
 * What a replica saves as its snapshot at a stable checkpoint: its compacted history
 * ({@link io.concordat.protocol.PbftReplica#compactedHistory()}), the shortest list of events that rebuilds
 * it. Recovery replays these events first, then the journal written after the snapshot.
 */
public record ReplicaSnapshot(List<ProtocolEvent> events) {
    public ReplicaSnapshot {
        events = List.copyOf(events);
    }
}
