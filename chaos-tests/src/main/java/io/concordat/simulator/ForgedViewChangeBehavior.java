package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.Membership;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A replica whose VIEW-CHANGE messages carry forged prepared certificates (PBFT §4.4's P set), the
 * VIEW-CHANGE itself correctly signed with its own key. Each VIEW-CHANGE gets one of, at random: a
 * certificate for a batch that never prepared, its pre-prepare and 2f prepares claiming the old primary
 * and other backups but signed with its own key; its real certificates with every prepare re-attributed
 * to another replica, again signed with its own key; or a real certificate whose first prepare is
 * repeated 2f times (valid signatures, not distinct senders). Were any accepted, the new primary would
 * re-propose a batch that never prepared.
 */
final class ForgedViewChangeBehavior implements ByzantineBehavior {
    static final String FORGED = "forged prepared certificates";

    /** Looked up only, never iterated: every replica gets the same forged VIEW-CHANGE for a view. */
    private final Map<Long, Bytes> sentByView = new HashMap<>();

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        if (!(envelope instanceof Envelope.MessageEnvelope message)
                || !(message.message().body() instanceof ViewChange viewChange)
                || viewChange.replicaId() != context.replicaId()) {
            return PrimaryMessages.honest(envelope, context);
        }
        Bytes forged = sentByView.computeIfAbsent(viewChange.newView(), view -> {
            ViewChange altered = new ViewChange(view, viewChange.stableSequence(), viewChange.stableDigest(),
                    viewChange.checkpointProof(), forgedCertificates(viewChange, context), context.replicaId());
            return context.encode(new Envelope.MessageEnvelope(context.sign(altered)));
        });
        return List.of(forged);
    }

    private List<PreparedCertificate> forgedCertificates(ViewChange viewChange, ByzantineContext context) {
        List<PreparedCertificate> real = viewChange.preparedCertificates();
        int variant = context.random().nextInt(3);
        List<PreparedCertificate> forged = new ArrayList<>();
        if (variant == 1 && !real.isEmpty()) {
            for (PreparedCertificate certificate : real) {
                forged.add(reattributed(certificate, context));
            }
            context.count("certificates with re-attributed prepares");
        } else if (variant == 2 && !real.isEmpty() && !real.get(0).prepares().isEmpty()) {
            forged.add(repeated(real.get(0), context.membership()));
            forged.addAll(real.subList(1, real.size()));
            context.count("certificates with repeated prepares");
        } else {
            forged.addAll(real);
            forged.add(neverPrepared(viewChange, context));
            context.count("certificates for batches that never prepared");
        }
        context.count(FORGED);
        return forged;
    }

    /** A certificate at the sequence after the highest one it reports, in the view before the new one. */
    private static PreparedCertificate neverPrepared(ViewChange viewChange, ByzantineContext context) {
        long sequence = viewChange.stableSequence() + 1;
        for (PreparedCertificate certificate : viewChange.preparedCertificates()) {
            sequence = Math.max(sequence, certificate.sequence() + 1);
        }
        long view = Math.max(0, viewChange.newView() - 1);
        Membership membership = context.membership();
        int oldPrimary = membership.primaryOf(view);
        var digest = MessageForgery.twist(Batch.NULL.digest(), context.random().nextLong());
        Signed<PrePrepare> prePrepare = context.sign(new PrePrepare(view, sequence, digest, oldPrimary));
        List<Signed<Prepare>> prepares = new ArrayList<>();
        for (int replica = 0; replica < membership.size() && prepares.size() < 2 * membership.faultsTolerated();
                replica++) {
            if (replica != oldPrimary) {
                prepares.add(context.sign(new Prepare(view, sequence, digest, replica)));
            }
        }
        return new PreparedCertificate(prePrepare, prepares);
    }

    private static PreparedCertificate reattributed(PreparedCertificate certificate, ByzantineContext context) {
        List<Signed<Prepare>> prepares = new ArrayList<>();
        int size = context.membership().size();
        for (Signed<Prepare> prepare : certificate.prepares()) {
            Prepare body = prepare.body();
            int claimed = (body.replicaId() + 1) % size;
            prepares.add(context.sign(new Prepare(body.view(), body.sequence(), body.batchDigest(), claimed)));
        }
        return new PreparedCertificate(certificate.prePrepare(), prepares);
    }

    private static PreparedCertificate repeated(PreparedCertificate certificate, Membership membership) {
        List<Signed<Prepare>> prepares = new ArrayList<>();
        for (int copy = 0; copy < 2 * membership.faultsTolerated(); copy++) {
            prepares.add(certificate.prepares().get(0));
        }
        return new PreparedCertificate(certificate.prePrepare(), prepares);
    }
}
