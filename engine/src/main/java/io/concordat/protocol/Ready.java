package io.concordat.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What one {@link PbftReplica#step(Input)} asks the shell to do, after etcd raft's {@code Ready}.
 *
 * <p><b>Order rule.</b> The shell must make every event in {@link #persist()} durable, as one atomic
 * write, before it sends any envelope in {@link #send()}. The messages may depend on the events (a
 * prepare that was sent must never be forgotten, PBFT §4.2), so sending first could let a crash make
 * the replica contradict itself. {@link #execute()} runs in list order, which is sequence order, and
 * may start once the events are durable.
 *
 * @param persist facts to make durable first, in order, in one write
 * @param send envelopes to send once {@code persist} is durable
 * @param execute batches and read-only requests for the application, in order
 * @param checkpoints checkpoints taken and checkpoints that became stable
 * @param timers timers started or stopped, so the shell can tick only while one is armed
 * @param dropped inputs the core ignored, with the reason, for logging and metrics
 */
public record Ready(
        List<ProtocolEvent> persist,
        List<Outbound> send,
        List<Execution> execute,
        List<CheckpointNotice> checkpoints,
        List<TimerChange> timers,
        List<Dropped> dropped) {

    public static final Ready EMPTY = new Ready(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());

    public Ready {
        persist = List.copyOf(persist);
        send = List.copyOf(send);
        execute = List.copyOf(execute);
        checkpoints = List.copyOf(checkpoints);
        timers = List.copyOf(timers);
        dropped = List.copyOf(dropped);
    }

    public boolean isEmpty() {
        return persist.isEmpty() && send.isEmpty() && execute.isEmpty() && checkpoints.isEmpty()
                && timers.isEmpty() && dropped.isEmpty();
    }

    /** This Ready followed by {@code later}: the order rule holds for the concatenation. */
    public Ready then(Ready later) {
        if (later.isEmpty()) {
            return this;
        }
        if (isEmpty()) {
            return later;
        }
        return new Ready(concat(persist, later.persist), concat(send, later.send), concat(execute, later.execute),
                concat(checkpoints, later.checkpoints), concat(timers, later.timers), concat(dropped, later.dropped));
    }

    private static <T> List<T> concat(List<T> first, List<T> second) {
        List<T> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }
}
