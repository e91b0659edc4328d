package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import java.util.List;

/** Picks a behaviour from the catalogue at random for every message, correct ones included. */
final class MixedBehavior implements ByzantineBehavior {
    private final List<ByzantineBehavior> catalogue = List.of(
            new SilentBehavior(), new EquivocatingVotesBehavior(), new GarbageSignaturesBehavior(),
            new WrongDigestsBehavior(), new ReplayingBehavior(), new ForgedSenderBehavior(),
            new CorruptedEncodingBehavior());

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        int choice = context.random().nextInt(catalogue.size() + 1);
        if (choice == catalogue.size()) {
            return List.of(context.encode(envelope));
        }
        return catalogue.get(choice).rewrite(envelope, destinationNode, context);
    }
}
