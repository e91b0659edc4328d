package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import java.util.List;

/** Sends nothing at all: to the others it looks like a crash, but it keeps receiving. */
final class SilentBehavior implements ByzantineBehavior {
    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        return List.of();
    }
}
