package io.concordat.replica;

import io.concordat.protocol.CheckpointNotice;
import io.concordat.protocol.Dropped;
import io.concordat.protocol.Execution;
import io.concordat.protocol.Outbound;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.Ready;
import io.concordat.protocol.TimerChange;
import java.util.ArrayList;
import java.util.List;

/**
 * The core steps taken since the last journal write, waiting to be written together: group commit.
 *
 * <p>A journal write costs milliseconds (an H2 or PostgreSQL commit), a core step microseconds. Writing
 * once per step would cap a replica at one step per commit while the rest of its mailbox waits. Instead
 * the durable replica keeps stepping the core for every command already queued, gathers the steps here,
 * and writes all their events in one atomic write; only then does anything they produced leave the
 * replica. The order rule of {@link Ready} holds for the whole group: no send of any step precedes the
 * durability of any event of the group, so a crash can only lose steps whose messages were never sent
 * (PBFT §4.2). Steps leave in the order they were taken.
 *
 * <p>A step without events that arrives while earlier steps wait joins the group too: its messages may
 * depend on state that is not durable yet (a retransmitted prepare, say).
 */
final class GroupCommit {
    /** A group is written early once it holds this many events, to bound one write and the memory it holds. */
    static final int MAX_EVENTS = 4_096;

    private final List<Ready> steps = new ArrayList<>();
    private int events;

    /** True if nothing waits: a step without events may then be carried out at once. */
    boolean isEmpty() {
        return steps.isEmpty();
    }

    void add(Ready step) {
        if (!step.isEmpty()) {
            steps.add(step);
            events += step.persist().size();
        }
    }

    boolean full() {
        return events >= MAX_EVENTS;
    }

    int steps() {
        return steps.size();
    }

    /** The waiting steps as one Ready in step order, leaving the group empty. */
    Ready take() {
        if (steps.size() == 1) {
            Ready only = steps.get(0);
            clear();
            return only;
        }
        List<ProtocolEvent> persist = new ArrayList<>(events);
        List<Outbound> send = new ArrayList<>();
        List<Execution> execute = new ArrayList<>();
        List<CheckpointNotice> checkpoints = new ArrayList<>();
        List<TimerChange> timers = new ArrayList<>();
        List<Dropped> dropped = new ArrayList<>();
        for (Ready step : steps) {
            persist.addAll(step.persist());
            send.addAll(step.send());
            execute.addAll(step.execute());
            checkpoints.addAll(step.checkpoints());
            timers.addAll(step.timers());
            dropped.addAll(step.dropped());
        }
        clear();
        return new Ready(persist, send, execute, checkpoints, timers, dropped);
    }

    void clear() {
        steps.clear();
        events = 0;
    }
}
