package io.concordat.protocol;

import java.util.ArrayList;
import java.util.List;

/** Collects what one step produces; package-private, turned into an immutable {@link Ready} at the end. */
final class ReadyBuilder {
    final List<ProtocolEvent> persist = new ArrayList<>();
    final List<Outbound> send = new ArrayList<>();
    final List<Execution> execute = new ArrayList<>();
    final List<CheckpointNotice> checkpoints = new ArrayList<>();
    final List<TimerChange> timers = new ArrayList<>();
    final List<Dropped> dropped = new ArrayList<>();

    Ready build() {
        if (persist.isEmpty() && send.isEmpty() && execute.isEmpty() && checkpoints.isEmpty() && timers.isEmpty()
                && dropped.isEmpty()) {
            return Ready.EMPTY;
        }
        return new Ready(persist, send, execute, checkpoints, timers, dropped);
    }
}
