package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import java.util.ArrayList;
import java.util.List;

/**
 * Behaves correctly but also sends, to random destinations, copies of messages it sent earlier: old
 * prepares, commits, checkpoints from below the watermark, replies meant for clients. Their signatures
 * are valid, so only the protocol's duplicate, view and watermark rules stop them.
 */
final class ReplayingBehavior implements ByzantineBehavior {
    private static final double REPLAY_PROBABILITY = 0.4;

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        List<Bytes> out = new ArrayList<>(2);
        out.add(context.encode(envelope));
        List<Bytes> earlier = context.sentEarlier();
        if (!earlier.isEmpty() && context.random().nextDouble() < REPLAY_PROBABILITY) {
            out.add(earlier.get(context.random().nextInt(earlier.size())));
        }
        return out;
    }
}
