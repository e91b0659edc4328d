package io.concordat.replica;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one replica shell: drops by reason, rejected decodes and submissions, unroutable replies,
 * membership hints. Safe to read from any thread; the metrics endpoint exports {@link #snapshot()}.
 *
 * <p>Names are dotted and stable, for example {@code dropped.BAD_SIGNATURE},
 * {@code decode.rejected.TRUNCATED_OR_MALFORMED}, {@code client.rejected.STALE_REQUEST},
 * {@code client.reply.unrouted}, {@code membership.hint.UNREACHABLE}.
 */
public final class ReplicaMetrics {
    private final ConcurrentHashMap<String, LongAdder> counters = new ConcurrentHashMap<>();

    void increment(String name) {
        add(name, 1);
    }

    void add(String name, long amount) {
        counters.computeIfAbsent(name, key -> new LongAdder()).add(amount);
    }

    /** The current value of one counter; 0 if it never moved. */
    public long count(String name) {
        LongAdder counter = counters.get(name);
        return counter == null ? 0 : counter.sum();
    }

    /** Every counter that moved, by name, in name order. */
    public Map<String, Long> snapshot() {
        var values = new TreeMap<String, Long>();
        counters.forEach((name, counter) -> values.put(name, counter.sum()));
        return values;
    }
}
