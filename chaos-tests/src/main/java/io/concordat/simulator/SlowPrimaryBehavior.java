package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import java.util.List;

/**
 * Aardvark's slow primary (Clement et al., NSDI 2009): it proposes correctly but holds every pre-prepare
 * for the view-change timeout less {@link #MARGIN_TICKS}, so that a request still executes just before
 * the backups' request timers expire, and the primary keeps its job while throughput collapses. Its
 * heartbeats go out on time. The margin covers the three message delays of the normal case (at most 10
 * ticks each in the simulator) and the batching delay.
 */
final class SlowPrimaryBehavior implements ByzantineBehavior {
    static final String DELAYED = "pre-prepares delayed";
    static final int MARGIN_TICKS = 40;

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        if (PrimaryMessages.ownProposal(envelope, context).isEmpty()) {
            return PrimaryMessages.honest(envelope, context);
        }
        long holdTicks = Math.max(1, context.configuration().viewChangeTimeoutTicks() - MARGIN_TICKS);
        context.count(DELAYED);
        context.hold(context.encode(envelope), destinationNode, context.now() + holdTicks);
        return List.of();
    }
}
