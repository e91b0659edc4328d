package io.concordat.protocol;

import java.util.Collection;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/** The slots between the low and high watermarks, ordered by sequence number. */
final class MessageLog {
    private final NavigableMap<Long, Slot> slots = new TreeMap<>();

    Optional<Slot> find(long sequence) {
        return Optional.ofNullable(slots.get(sequence));
    }

    Slot getOrCreate(long sequence, long view) {
        Slot slot = slots.computeIfAbsent(sequence, s -> new Slot(s, view));
        Invariants.check(slot.view == view, "slot %d is in view %d, not %d", sequence, slot.view, view);
        return slot;
    }

    /** Slots with sequence numbers greater than {@code sequence}, in order. */
    Collection<Slot> after(long sequence) {
        return slots.tailMap(sequence, false).values();
    }

    /** Garbage collection at a stable checkpoint (PBFT §4.3): forget every slot up to {@code sequence}. */
    void discardUpTo(long sequence) {
        slots.headMap(sequence, true).clear();
    }

    /** Forgets every slot: a new view starts from its NEW-VIEW (PBFT §4.4). */
    void clear() {
        slots.clear();
    }

    /**
     * Whether some slot has a pre-prepare that this replica has not committed itself. Above the last executed
     * sequence that is ordinary work in progress; at or below it, the slot was executed in an earlier view and
     * re-proposed by the NEW-VIEW (PBFT §4.4), and the others may still need this replica's commit for it.
     */
    boolean awaitsOwnCommit() {
        for (Slot slot : slots.values()) {
            if (slot.prePrepare().isPresent() && !slot.commitSent()) {
                return true;
            }
        }
        return false;
    }

    Collection<Slot> all() {
        return slots.values();
    }

    Optional<Long> lowestSequence() {
        return slots.isEmpty() ? Optional.empty() : Optional.of(slots.firstKey());
    }

    Optional<Long> highestSequence() {
        return slots.isEmpty() ? Optional.empty() : Optional.of(slots.lastKey());
    }

    int size() {
        return slots.size();
    }
}
