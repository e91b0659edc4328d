package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.crypto.Digest;
import io.concordat.protocol.DropReason;
import io.concordat.protocol.Dropped;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.Ready;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void stepsLeaveInTheOrderTheyWereTakenAsOneReady() {
        var group = new GroupCommit();
        assertTrue(group.isEmpty());
        group.add(step(1, "a"));
        group.add(Ready.EMPTY);
        group.add(step(0, "b"));
        group.add(step(2, "c"));
        assertEquals(3, group.steps(), "an empty step is not a step to write");

        Ready merged = group.take();
        assertEquals(List.of(event(1, 0), event(2, 0), event(2, 1)), merged.persist());
        assertEquals(List.of("a", "b", "c"), merged.dropped().stream().map(Dropped::detail).toList());
        assertTrue(group.isEmpty());
        assertEquals(0, group.steps());
    }

    @Test
    void aGroupIsFullAtTheEventBound() {
        var group = new GroupCommit();
        group.add(step(GroupCommit.MAX_EVENTS - 1, "almost"));
        assertFalse(group.full());
        group.add(step(1, "full"));
        assertTrue(group.full());
        group.take();
        assertFalse(group.full());
    }

    /** A step with {@code events} events, tagged by a drop whose detail is {@code tag}. */
    private static Ready step(int events, String tag) {
        List<ProtocolEvent> persist = new ArrayList<>();
        for (int index = 0; index < events; index++) {
            persist.add(event(events, index));
        }
        return new Ready(persist, List.of(), List.of(), List.of(), List.of(),
                List.of(new Dropped("Prepare", "replica 1", DropReason.DUPLICATE, tag)));
    }

    private static ProtocolEvent event(long sequence, int index) {
        return new ProtocolEvent.BatchCommitted(sequence, index, Digest.of(new byte[32]));
    }
}
