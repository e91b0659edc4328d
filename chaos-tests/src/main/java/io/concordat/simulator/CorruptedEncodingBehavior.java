package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends bytes that are not what it signed: one to three random bytes of the encoded envelope flipped,
 * or the encoding cut short, and half the time the intact message after it. The decoder must reject
 * the damage cleanly, or the signature check must, and nothing may throw.
 */
final class CorruptedEncodingBehavior implements ByzantineBehavior {
    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        Bytes intact = context.encode(envelope);
        List<Bytes> out = new ArrayList<>(2);
        out.add(corrupt(intact, context));
        if (context.random().nextBoolean()) {
            out.add(intact);
        }
        return out;
    }

    private static Bytes corrupt(Bytes intact, ByzantineContext context) {
        byte[] bytes = intact.toByteArray();
        if (bytes.length > 1 && context.random().nextInt(4) == 0) {
            return Bytes.copyOf(bytes, 0, context.random().nextInt(bytes.length));
        }
        int flips = 1 + context.random().nextInt(3);
        for (int flip = 0; flip < flips && bytes.length > 0; flip++) {
            int position = context.random().nextInt(bytes.length);
            bytes[position] = (byte) (bytes[position] ^ (1 + context.random().nextInt(255)));
        }
        return Bytes.wrap(bytes);
    }
}
