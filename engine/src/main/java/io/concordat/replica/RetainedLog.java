package io.concordat.replica;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The committed entries a replica still holds, shared between the replica actor (which appends and trims)
 * and any number of readers (streams that pull one entry at a time, so a slow reader costs nothing but its
 * own position). Thread-safe.
 */
final class RetainedLog {
    private record Waiter(long sequence, CompletableFuture<Optional<CommittedEntry>> next) {}

    private final NavigableMap<Long, CommittedEntry> entries = new TreeMap<>();
    private final List<Waiter> waiters = new ArrayList<>();
    /** Every sequence up to this one was discarded (or never held). */
    private long discardedThrough;
    private boolean closed;

    /** Appends the entry executed next. Sequence numbers only grow. */
    void append(CommittedEntry entry) {
        List<Waiter> ready = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            long last = entries.isEmpty() ? discardedThrough : entries.lastKey();
            if (entry.sequence() <= last) {
                throw new IllegalArgumentException("ordered log entry " + entry.sequence() + " after " + last);
            }
            entries.put(entry.sequence(), entry);
            Iterator<Waiter> waiting = waiters.iterator();
            while (waiting.hasNext()) {
                Waiter waiter = waiting.next();
                if (waiter.sequence() <= entry.sequence()) {
                    ready.add(waiter);
                    waiting.remove();
                }
            }
        }
        for (Waiter waiter : ready) {
            completeFromLog(waiter);
        }
    }

    /** Discards every entry up to and including {@code sequence}. */
    synchronized void discardThrough(long sequence) {
        if (sequence > discardedThrough) {
            entries.headMap(sequence, true).clear();
            discardedThrough = sequence;
        }
    }

    /**
     * The first entry at or after {@code sequence}: at once if it is held, later when it commits, empty
     * once the log is closed, and failed with {@link PositionNotRetainedException} if it was discarded.
     */
    CompletionStage<Optional<CommittedEntry>> next(long sequence) {
        var waiter = new Waiter(sequence, new CompletableFuture<>());
        synchronized (this) {
            Map.Entry<Long, CommittedEntry> held = entries.ceilingEntry(sequence);
            if (held == null && !closed && sequence > discardedThrough) {
                waiters.add(waiter);
                return waiter.next();
            }
        }
        completeFromLog(waiter);
        return waiter.next();
    }

    synchronized OptionalLong oldestSequence() {
        return entries.isEmpty() ? OptionalLong.empty() : OptionalLong.of(entries.firstKey());
    }

    /** The oldest entry held, or the next one to commit when none is held. */
    synchronized long firstAvailableSequence() {
        return entries.isEmpty() ? discardedThrough + 1 : entries.firstKey();
    }

    synchronized OptionalLong latestSequence() {
        return entries.isEmpty() ? OptionalLong.empty() : OptionalLong.of(entries.lastKey());
    }

    synchronized int size() {
        return entries.size();
    }

    /** Ends every reader's stream: the replica stopped. */
    void close() {
        List<Waiter> ending;
        synchronized (this) {
            closed = true;
            ending = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter waiter : ending) {
            waiter.next().complete(Optional.empty());
        }
    }

    private void completeFromLog(Waiter waiter) {
        Optional<CommittedEntry> entry;
        long oldest;
        synchronized (this) {
            oldest = discardedThrough + 1;
            if (waiter.sequence() < oldest) {
                entry = null;
            } else {
                entry = Optional.ofNullable(entries.ceilingEntry(waiter.sequence())).map(Map.Entry::getValue);
            }
        }
        if (entry == null) {
            waiter.next().completeExceptionally(new PositionNotRetainedException(waiter.sequence(), oldest));
        } else {
            waiter.next().complete(entry);
        }
    }
}
