package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.NewView;
import java.util.List;

/**
 * A primary that does nothing as primary: whenever it leads a view it sends no pre-prepare, no heartbeat
 * and no NEW-VIEW, yet as a backup it votes, checkpoints and replies correctly. To the backups it looks
 * like a crashed primary; their idle and request timers must replace it (PBFT §4.4).
 */
final class SilentPrimaryBehavior implements ByzantineBehavior {
    static final String WITHHELD = "primary messages withheld";

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        boolean newView = envelope instanceof Envelope.MessageEnvelope message
                && message.message().body() instanceof NewView;
        if (PrimaryMessages.ownProposal(envelope, context).isPresent()
                || PrimaryMessages.isHeartbeat(envelope, context) || newView) {
            context.count(WITHHELD);
            return List.of();
        }
        return PrimaryMessages.honest(envelope, context);
    }
}
