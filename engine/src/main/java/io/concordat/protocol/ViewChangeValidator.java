package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks the content of VIEW-CHANGE and NEW-VIEW messages (PBFT §4.4). Everything inside them is signed by
 * its original sender, so a Byzantine replica cannot invent a checkpoint proof or a prepared certificate:
 * this class verifies every embedded signature and every quorum, and returns why a message is invalid.
 * Verification is the expensive part of a view change (up to 2f+1 signatures per certificate), which is
 * acceptable because view changes are rare.
 */
final class ViewChangeValidator {
    private final Membership membership;
    private final ProtocolConfiguration configuration;
    private final MessageVerifier verifier;

    ViewChangeValidator(Membership membership, ProtocolConfiguration configuration, MessageVerifier verifier) {
        this.membership = membership;
        this.configuration = configuration;
        this.verifier = verifier;
    }

    /** The content of one VIEW-CHANGE whose outer signature was already verified. */
    Optional<Rejection> validate(ViewChange viewChange) {
        Optional<Rejection> checkpoint = validateCheckpointProof(viewChange.stableSequence(), viewChange.stableDigest(),
                viewChange.checkpointProof());
        if (checkpoint.isPresent()) {
            return checkpoint;
        }
        Set<Long> sequences = new HashSet<>();
        for (PreparedCertificate certificate : viewChange.preparedCertificates()) {
            if (!sequences.add(certificate.sequence())) {
                return reject("two prepared certificates for sequence %d", certificate.sequence());
            }
            Optional<Rejection> invalid = validateCertificate(certificate, viewChange.newView(),
                    viewChange.stableSequence());
            if (invalid.isPresent()) {
                return invalid;
            }
        }
        return Optional.empty();
    }

    /** 2f+1 matching CHECKPOINT messages from distinct replicas, or nothing for the initial state. */
    Optional<Rejection> validateCheckpointProof(long sequence, Digest digest, List<Signed<Checkpoint>> proof) {
        if (sequence < 0 || sequence % configuration.checkpointInterval() != 0) {
            return reject("stable checkpoint %d is not a multiple of %d", sequence, configuration.checkpointInterval());
        }
        if (sequence == 0) {
            return proof.isEmpty() && digest.equals(CheckpointTracker.GENESIS_DIGEST)
                    ? Optional.empty()
                    : reject("the initial checkpoint has no proof and the genesis digest");
        }
        Set<Integer> senders = new HashSet<>();
        for (Signed<Checkpoint> message : proof) {
            Checkpoint body = message.body();
            if (body.sequence() != sequence || !body.stateDigest().equals(digest)) {
                return reject("checkpoint proof for %d holds a message for %d", sequence, body.sequence());
            }
            if (!senders.add(body.replicaId())) {
                return reject("checkpoint proof for %d counts replica %d twice", sequence, body.replicaId());
            }
            if (verifier.verifyReplicaMessage(message).isPresent()) {
                return reject("checkpoint proof for %d holds a message that does not verify", sequence);
            }
        }
        return senders.size() >= membership.quorum() ? Optional.empty()
                : reject("checkpoint proof for %d has %d messages, needs %d", sequence, senders.size(), membership.quorum());
    }

    /** A pre-prepare from the primary of its view and 2f matching prepares from distinct backups. */
    Optional<Rejection> validateCertificate(PreparedCertificate certificate, long newView, long stableSequence) {
        PrePrepare prePrepare = certificate.prePrepare().body();
        long sequence = prePrepare.sequence();
        if (prePrepare.view() >= newView) {
            return reject("certificate for %d is from view %d, not below %d", sequence, prePrepare.view(), newView);
        }
        if (sequence <= stableSequence || sequence > stableSequence + configuration.watermarkWindow()) {
            return reject("certificate for %d is outside the window above %d", sequence, stableSequence);
        }
        int primary = membership.primaryOf(prePrepare.view());
        if (prePrepare.replicaId() != primary) {
            return reject("certificate for %d has a pre-prepare from %d, not the primary %d", sequence,
                    prePrepare.replicaId(), primary);
        }
        if (verifier.verifyReplicaMessage(certificate.prePrepare()).isPresent()) {
            return reject("certificate for %d has a pre-prepare that does not verify", sequence);
        }
        Set<Integer> senders = new HashSet<>();
        for (Signed<Prepare> prepare : certificate.prepares()) {
            Prepare body = prepare.body();
            if (body.view() != prePrepare.view() || body.sequence() != sequence
                    || !body.batchDigest().equals(prePrepare.batchDigest())) {
                return reject("certificate for %d holds a prepare that does not match its pre-prepare", sequence);
            }
            if (body.replicaId() == primary || !senders.add(body.replicaId())) {
                return reject("certificate for %d counts replica %d wrongly", sequence, body.replicaId());
            }
            if (verifier.verifyReplicaMessage(prepare).isPresent()) {
                return reject("certificate for %d holds a prepare that does not verify", sequence);
            }
        }
        return senders.size() >= 2 * membership.faultsTolerated() ? Optional.empty()
                : reject("certificate for %d has %d prepares, needs %d", sequence, senders.size(),
                        2 * membership.faultsTolerated());
    }

    /**
     * A NEW-VIEW from the primary of its view whose outer signature was verified: 2f+1 valid VIEW-CHANGE
     * messages for this view from distinct replicas, and an O set equal to the one recomputed from them.
     */
    Optional<Rejection> validate(NewView newView, NewViewPlan plan) {
        if (plan.prePrepares().size() != newView.prePrepares().size()) {
            return reject("NEW-VIEW for %d has %d pre-prepares, the view changes call for %d", newView.view(),
                    newView.prePrepares().size(), plan.prePrepares().size());
        }
        for (int index = 0; index < plan.prePrepares().size(); index++) {
            Signed<PrePrepare> sent = newView.prePrepares().get(index);
            if (!sent.body().equals(plan.prePrepares().get(index))) {
                return reject("NEW-VIEW for %d proposes %s where the view changes call for %s", newView.view(),
                        sent.body(), plan.prePrepares().get(index));
            }
            if (verifier.verifyReplicaMessage(sent).isPresent()) {
                return reject("NEW-VIEW for %d holds a pre-prepare that does not verify", newView.view());
            }
        }
        return Optional.empty();
    }

    /** The view changes inside a NEW-VIEW: each signed, valid, for this view, from distinct replicas, 2f+1. */
    Optional<Rejection> validateViewChanges(long view, List<Signed<ViewChange>> viewChanges) {
        Set<Integer> senders = new HashSet<>();
        for (Signed<ViewChange> viewChange : viewChanges) {
            if (viewChange.body().newView() != view) {
                return reject("NEW-VIEW for %d holds a VIEW-CHANGE for %d", view, viewChange.body().newView());
            }
            if (!senders.add(viewChange.body().replicaId())) {
                return reject("NEW-VIEW for %d counts replica %d twice", view, viewChange.body().replicaId());
            }
            Optional<Rejection> invalid = verifier.verifyReplicaMessage(viewChange).or(() -> validate(viewChange.body()));
            if (invalid.isPresent()) {
                return reject("NEW-VIEW for %d holds an invalid VIEW-CHANGE from %d: %s", view,
                        viewChange.body().replicaId(), invalid.get().detail());
            }
        }
        return senders.size() >= membership.quorum() ? Optional.empty()
                : reject("NEW-VIEW for %d has %d view changes, needs %d", view, senders.size(), membership.quorum());
    }

    private static Optional<Rejection> reject(String format, Object... arguments) {
        return Optional.of(Rejection.of(DropReason.MALFORMED, format, arguments));
    }
}
