package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.ReplicaMessage;
import java.util.List;
import java.util.Optional;

/**
 * Votes consistently for the wrong thing: every prepare, commit and checkpoint names the same false
 * digest at every destination, and every reply carries a false result, all validly signed. With f such
 * replicas a client sees f matching false replies, one short of the f+1 it needs.
 */
final class WrongDigestsBehavior implements ByzantineBehavior {
    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        Optional<ReplicaMessage> wrong = MessageForgery.replicaMessage(envelope)
                .flatMap(message -> MessageForgery.twisted(message, 0));
        if (wrong.isEmpty()) {
            return List.of(context.encode(envelope));
        }
        return List.of(context.encode(context.resign(wrong.get(), envelope)));
    }
}
