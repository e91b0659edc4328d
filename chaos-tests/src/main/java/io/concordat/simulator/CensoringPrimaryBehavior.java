package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A primary that never orders one client's requests: the first client whose request it batches becomes
 * its victim, and from then on it drops that client's requests from every batch it proposes, re-batching
 * the rest under a correctly signed pre-prepare with the new batch's digest (the null batch if nothing
 * is left). The victim's requests reach the backups directly, so their request timers must expire and
 * replace the primary (PBFT §4.4).
 */
final class CensoringPrimaryBehavior implements ByzantineBehavior {
    static final String CENSORED = "censored requests";

    private Optional<PublicKey> victim = Optional.empty();

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        Optional<Envelope.PrePrepareEnvelope> proposal = PrimaryMessages.ownProposal(envelope, context);
        if (proposal.isEmpty() || proposal.get().batch().isNull()) {
            return PrimaryMessages.honest(envelope, context);
        }
        Batch batch = proposal.get().batch();
        if (victim.isEmpty()) {
            victim = Optional.of(batch.requests().get(0).body().clientId());
        }
        List<Signed<ClientRequest>> kept = new ArrayList<>();
        for (Signed<ClientRequest> request : batch.requests()) {
            if (!request.body().clientId().equals(victim.get())) {
                kept.add(request);
            }
        }
        if (kept.size() == batch.requests().size()) {
            return PrimaryMessages.honest(envelope, context);
        }
        context.count(CENSORED, batch.requests().size() - kept.size());
        PrePrepare body = proposal.get().prePrepare().body();
        return List.of(PrimaryMessages.proposal(body.view(), body.sequence(), new Batch(kept), context));
    }
}
