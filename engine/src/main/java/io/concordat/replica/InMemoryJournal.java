package io.concordat.replica;

import io.concordat.protocol.ProtocolEvent;
import java.util.List;

/**
 * Keeps nothing: until the durability work lands, a replica's state lives in memory only and a crash
 * loses it. It exists so that the persist-before-send step is explicit in the shell today.
 */
final class InMemoryJournal implements Journal {
    private final ReplicaMetrics metrics;

    InMemoryJournal(ReplicaMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void append(List<ProtocolEvent> events) {
        if (!events.isEmpty()) {
            metrics.add("journal.events", events.size());
            metrics.increment("journal.writes");
        }
    }
}
