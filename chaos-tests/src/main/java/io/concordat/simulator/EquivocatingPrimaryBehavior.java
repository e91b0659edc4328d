package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * A primary that equivocates (PBFT §4.2): for each sequence number it proposes, half of the backups get
 * its batch and the others a different one, the same requests in reverse order or, for one request, the
 * null batch; each pre-prepare is correctly signed with the true digest of the batch it carries. At most
 * one of the two can gather a prepared certificate, so the correct replicas must agree anyway.
 */
final class EquivocatingPrimaryBehavior implements ByzantineBehavior {
    static final String EQUIVOCATIONS = "equivocating pre-prepares";

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        Optional<Envelope.PrePrepareEnvelope> proposal = PrimaryMessages.ownProposal(envelope, context);
        if (proposal.isEmpty()) {
            return PrimaryMessages.honest(envelope, context);
        }
        PrePrepare body = proposal.get().prePrepare().body();
        Batch batch = proposal.get().batch();
        if (batch.isNull() || (body.sequence() + destinationNode) % 2 == 0) {
            return PrimaryMessages.honest(envelope, context);
        }
        context.count(EQUIVOCATIONS);
        return List.of(PrimaryMessages.proposal(body.view(), body.sequence(), other(batch), context));
    }

    private static Batch other(Batch batch) {
        if (batch.requests().size() == 1) {
            return Batch.NULL;
        }
        List<Signed<ClientRequest>> reversed = new ArrayList<>(batch.requests());
        Collections.reverse(reversed);
        return new Batch(reversed);
    }
}
