package io.concordat.replica;

import io.concordat.protocol.ProtocolEvent;
import java.util.List;

/**
 * Keeps nothing: the journal of {@code concordat.replica.persistence.journal = in-memory}, for tests and
 * throw-away clusters. A crash loses the replica's state; the durable journals go through
 * {@link DurableReplicaActor} instead. It keeps the persist-before-send step explicit and counts the writes.
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
