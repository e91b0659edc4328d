package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.ReplicaMessage;
import java.util.List;
import java.util.Optional;

/**
 * Tells different replicas different things (PBFT §4.2's equivocation): for each prepare, commit and
 * checkpoint, half of the destinations get the true digest and every other destination its own false
 * one, all validly signed with this replica's key. Quorum intersection must keep the correct replicas
 * in agreement anyway.
 */
final class EquivocatingVotesBehavior implements ByzantineBehavior {
    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        Optional<ReplicaMessage> message = MessageForgery.replicaMessage(envelope);
        if (message.isEmpty() || !isVote(message.get()) || tellsTheTruth(message.get(), destinationNode)) {
            return List.of(context.encode(envelope));
        }
        ReplicaMessage lie = MessageForgery.twisted(message.get(), destinationNode).orElseThrow();
        return List.of(context.encode(context.resign(lie, envelope)));
    }

    private static boolean isVote(ReplicaMessage message) {
        return message instanceof Prepare || message instanceof Commit || message instanceof Checkpoint;
    }

    private static boolean tellsTheTruth(ReplicaMessage message, int destinationNode) {
        long sequence = message instanceof Prepare prepare ? prepare.sequence()
                : message instanceof Commit commit ? commit.sequence() : ((Checkpoint) message).sequence();
        return (sequence + destinationNode) % 2 == 0;
    }
}
