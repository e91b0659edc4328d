package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import java.util.List;
import java.util.Optional;

/**
 * A primary that numbers its proposals wrongly: a batch the core puts at an odd sequence number n goes out
 * at n + L (L the watermark window), above the backups' high watermark (PBFT §4.2 rejects it); a batch at
 * an even n goes out at n+1, leaving a gap at n that nothing fills until a view change's null requests do
 * (§4.4). Each pre-prepare is correctly signed with the batch's true digest.
 */
final class SequenceGapsPrimaryBehavior implements ByzantineBehavior {
    static final String OUTSIDE_WINDOW = "pre-prepares outside the window";
    static final String GAPS = "sequence numbers skipped";

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        Optional<Envelope.PrePrepareEnvelope> proposal = PrimaryMessages.ownProposal(envelope, context);
        if (proposal.isEmpty()) {
            return PrimaryMessages.honest(envelope, context);
        }
        PrePrepare body = proposal.get().prePrepare().body();
        long sequence = body.sequence();
        long renumbered;
        if (sequence % 2 == 1) {
            renumbered = sequence + context.configuration().watermarkWindow();
            context.count(OUTSIDE_WINDOW);
        } else {
            renumbered = sequence + 1;
            context.count(GAPS);
        }
        return List.of(PrimaryMessages.proposal(body.view(), renumbered, proposal.get().batch(), context));
    }
}
