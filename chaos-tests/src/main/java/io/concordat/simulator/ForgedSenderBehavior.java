package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Before each real message, sends a false copy (wrong digest or result) that claims another replica as
 * its sender but is signed with this replica's own key. Replies are forged in the name of every other
 * replica, so a client that counted votes by the claimed id instead of the verified key would accept a
 * false result. The signature check against the claimed sender's key must reject every forgery.
 */
final class ForgedSenderBehavior implements ByzantineBehavior {
    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        List<Bytes> out = new ArrayList<>();
        Optional<ReplicaMessage> message = MessageForgery.replicaMessage(envelope);
        if (message.isPresent()) {
            ReplicaMessage lie = MessageForgery.twisted(message.get(), context.replicaId()).orElse(message.get());
            for (int victim : victims(message.get(), context)) {
                out.add(context.encode(context.resign(MessageForgery.claimingSender(lie, victim), envelope)));
            }
        }
        out.add(context.encode(envelope));
        return out;
    }

    private static List<Integer> victims(ReplicaMessage message, ByzantineContext context) {
        List<Integer> victims = new ArrayList<>();
        int replicaCount = context.membership().size();
        if (message instanceof Reply) {
            for (int replica = 0; replica < replicaCount; replica++) {
                if (replica != context.replicaId()) {
                    victims.add(replica);
                }
            }
        } else {
            int victim = context.random().nextInt(replicaCount - 1);
            victims.add(victim >= context.replicaId() ? victim + 1 : victim);
        }
        return victims;
    }
}
