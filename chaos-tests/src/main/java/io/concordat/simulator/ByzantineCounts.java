package io.concordat.simulator;

/**
 * What the Byzantine behaviours did in one run, so a test can show a behaviour really misbehaved.
 *
 * @param produced messages (per destination) the Byzantine replicas' cores wanted to send
 * @param sent messages the behaviours actually put on the network
 * @param altered sent messages whose bytes differ from the honest encoding
 */
public record ByzantineCounts(long produced, long sent, long altered) {
    public static final ByzantineCounts NONE = new ByzantineCounts(0, 0, 0);

    ByzantineCounts plus(ByzantineCounts other) {
        return new ByzantineCounts(produced + other.produced, sent + other.sent, altered + other.altered);
    }
}
