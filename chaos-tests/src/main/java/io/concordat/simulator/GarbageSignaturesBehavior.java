package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import java.util.List;

/** Sends every message with 64 random bytes where the signature belongs; all must be rejected. */
final class GarbageSignaturesBehavior implements ByzantineBehavior {
    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        byte[] garbage = new byte[64];
        context.random().nextBytes(garbage);
        return List.of(context.encode(MessageForgery.withSignature(envelope, Bytes.wrap(garbage))));
    }
}
