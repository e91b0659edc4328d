package io.concordat.simulator;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the Byzantine behaviours did in one run, so a test can show a behaviour really misbehaved.
 *
 * @param produced messages (per destination) the Byzantine replicas' cores wanted to send
 * @param sent messages the behaviours actually put on the network
 * @param altered sent messages whose bytes differ from the honest encoding
 * @param misbehaviours what the behaviours counted, by name: equivocations, censored requests, bad
 *     NEW-VIEWs and so on (see docs/chaos.md)
 */
public record ByzantineCounts(long produced, long sent, long altered, SortedMap<String, Long> misbehaviours) {
    public static final ByzantineCounts NONE = new ByzantineCounts(0, 0, 0, new TreeMap<>());

    public ByzantineCounts {
        misbehaviours = Collections.unmodifiableSortedMap(new TreeMap<>(misbehaviours));
    }

    /** How often the named misbehaviour happened; 0 if never. */
    public long misbehaviour(String name) {
        return misbehaviours.getOrDefault(name, 0L);
    }

    ByzantineCounts plus(ByzantineCounts other) {
        SortedMap<String, Long> merged = new TreeMap<>(misbehaviours);
        other.misbehaviours.forEach((name, count) -> merged.merge(name, count, Long::sum));
        return new ByzantineCounts(produced + other.produced, sent + other.sent, altered + other.altered, merged);
    }
}
