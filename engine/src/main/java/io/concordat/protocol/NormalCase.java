package io.concordat.protocol;

import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import java.util.Optional;

/**
 * The three-phase normal case of PBFT §4.2: the primary's batching and pre-prepares, the backups'
 * prepares, and everyone's commits, up to committed-local.
 */
final class NormalCase {
    private final ReplicaContext context;

    NormalCase(ReplicaContext context) {
        this.context = context;
    }

    // ---------------------------------------------------------------- the primary

    /** The primary assigns sequence numbers to batches of pending requests inside the window. */
    void proposeBatches(boolean batchTimerFired) {
        if (!context.isPrimary() || !context.viewActive) {
            context.timers.stop(context.out, TimerChange.Timer.BATCH);
            return;
        }
        ProtocolConfiguration configuration = context.configuration;
        boolean flush = batchTimerFired || configuration.batchDelayTicks() == 0;
        PendingRequests pending = context.pendingRequests;
        while (!pending.isEmpty() && context.lastAssignedSequence < context.highWatermark()) {
            boolean nothingInFlight = context.lastAssignedSequence == context.lastExecutedSequence();
            boolean batchFull = pending.size() >= configuration.batchMaxRequests()
                    || pending.totalBytes() >= configuration.batchMaxBytes();
            // Propose at once when idle (latency) or when a batch is full (throughput); otherwise wait up to
            // batchDelayTicks for more requests to share the cost of the three-phase exchange.
            if (!(nothingInFlight || batchFull || flush)) {
                context.timers.start(context.out, TimerChange.Timer.BATCH,
                        context.now() + configuration.batchDelayTicks());
                return;
            }
            proposeOne(new Batch(pending.takeBatch(configuration.batchMaxRequests(), configuration.batchMaxBytes())));
        }
        context.timers.stop(context.out, TimerChange.Timer.BATCH);
    }

    /** Assigns the next sequence number to {@code batch} and multicasts the pre-prepare. */
    void proposeOne(Batch batch) {
        long sequence = ++context.lastAssignedSequence;
        context.lastProposalTick = context.now();
        Signed<PrePrepare> prePrepare = context.sign(
                new PrePrepare(context.view, sequence, batch.digest(), context.replicaId));
        Slot slot = context.log.getOrCreate(sequence, context.view);
        slot.acceptPrePrepare(prePrepare, Optional.of(batch));
        context.orderedRequests.addAll(batch);
        context.persist(new ProtocolEvent.PrePrepareAccepted(prePrepare, batch));
        context.sendToAllReplicas(new Envelope.PrePrepareEnvelope(prePrepare, batch));
        advance(slot);
    }

    // ---------------------------------------------------------------- backups

    void onPrePrepare(Signed<PrePrepare> message, Batch batch) {
        if (context.dropped(message, ignorePrePrepare(message.body())) || !context.verified(message)
                || context.dropped(message, ignoreBatch(message.body(), batch))) {
            return;
        }
        PrePrepare body = message.body();
        Slot slot = context.log.getOrCreate(body.sequence(), context.view);
        if (slot.prePrepare().isPresent()) {
            // The pre-prepare came with the NEW-VIEW without its batch; this is the batch (§4.4).
            slot.attachBatch(batch);
            advance(slot);
            return;
        }
        slot.acceptPrePrepare(message, Optional.of(batch));
        registerOrdered(batch);
        context.persist(new ProtocolEvent.PrePrepareAccepted(message, batch));
        sendPrepare(slot);
        advance(slot);
    }

    /** A backup accepts a pre-prepare only under the conditions of PBFT §4.2. */
    private Optional<Rejection> ignorePrePrepare(PrePrepare body) {
        if (!context.membership.isMember(body.replicaId())) {
            return Optional.of(Rejection.of(DropReason.UNKNOWN_SENDER, "replica %d is not a member", body.replicaId()));
        }
        Optional<Rejection> slotRejection = ignoreForSlot(body.view(), body.sequence(), true);
        if (slotRejection.isPresent()) {
            return slotRejection;
        }
        if (body.replicaId() != context.primary()) {
            return Optional.of(Rejection.of(DropReason.NOT_FROM_PRIMARY, "replica %d is not the primary of view %d",
                    body.replicaId(), context.view));
        }
        Optional<Slot> existing = context.log.find(body.sequence());
        if (existing.flatMap(Slot::batchDigest).isPresent()) {
            boolean same = existing.get().batchDigest().orElseThrow().equals(body.batchDigest());
            if (same && existing.get().batch().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(same
                    ? Rejection.of(DropReason.DUPLICATE, "already have the pre-prepare for %d", body.sequence())
                    : Rejection.of(DropReason.CONFLICTING, "a different pre-prepare for %d was accepted", body.sequence()));
        }
        if (context.isPrimary()) {
            return Optional.of(Rejection.of(DropReason.UNEXPECTED, "the primary's own pre-prepare for %d came back",
                    body.sequence()));
        }
        return Optional.empty();
    }

    private Optional<Rejection> ignoreBatch(PrePrepare prePrepare, Batch batch) {
        ProtocolConfiguration configuration = context.configuration;
        if (batch.requests().size() > configuration.batchMaxRequests()) {
            return Optional.of(Rejection.of(DropReason.MALFORMED, "batch of %d requests exceeds batchMaxRequests %d",
                    batch.requests().size(), configuration.batchMaxRequests()));
        }
        if (!batch.digest().equals(prePrepare.batchDigest())) {
            return Optional.of(Rejection.of(DropReason.DIGEST_MISMATCH, "batch for %d does not hash to %s",
                    prePrepare.sequence(), prePrepare.batchDigest()));
        }
        for (Signed<ClientRequest> request : batch.requests()) {
            if (request.body().operation().size() > configuration.requestMaxBytes()) {
                return Optional.of(Rejection.of(DropReason.OVERSIZED, "batch for %d holds an operation of %d bytes",
                        prePrepare.sequence(), request.body().operation().size()));
            }
            if (!context.verifier.verifyRequest(request)) {
                return Optional.of(Rejection.of(DropReason.BAD_SIGNATURE,
                        "batch for %d holds a request with a bad signature", prePrepare.sequence()));
            }
        }
        return Optional.empty();
    }

    /** Sends this backup's prepare for a slot whose pre-prepare it accepted, and remembers it. */
    void sendPrepare(Slot slot) {
        Signed<Prepare> prepare = context.sign(
                new Prepare(context.view, slot.sequence, slot.batchDigest().orElseThrow(), context.replicaId));
        slot.prepares.put(context.replicaId, prepare);
        context.persist(new ProtocolEvent.PrepareSent(prepare));
        context.sendToAllReplicas(prepare);
    }

    /** Notes the requests of an accepted batch so that retransmissions of them are not queued again. */
    void registerOrdered(Batch batch) {
        context.orderedRequests.addAll(batch);
        for (Signed<ClientRequest> request : batch.requests()) {
            context.pendingRequests.removeUpTo(request.body().clientId(), request.body().requestNumber());
        }
    }

    void onPrepare(Signed<Prepare> message) {
        Prepare body = message.body();
        Optional<Rejection> rejection = ignoreForSlot(body.view(), body.sequence(), false);
        if (rejection.isEmpty() && body.replicaId() == context.primary()) {
            rejection = Optional.of(Rejection.of(DropReason.UNEXPECTED, "the primary sends pre-prepares, not prepares"));
        }
        if (context.dropped(message, rejection) || !context.verified(message)) {
            return;
        }
        Slot slot = context.log.getOrCreate(body.sequence(), context.view);
        Signed<Prepare> existing = slot.prepares.putIfAbsent(body.replicaId(), message);
        if (existing != null) {
            context.drop(message, firstStands(existing.body().batchDigest().equals(body.batchDigest()), "prepare",
                    body.sequence(), body.replicaId()));
            return;
        }
        advance(slot);
    }

    void onCommit(Signed<Commit> message) {
        Commit body = message.body();
        // Commits are still taken after the slot committed: the extra ones make the certificate this replica
        // relays to lagging replicas robust against an equivocator's commit they hold in another version.
        if (context.dropped(message, ignoreForSlot(body.view(), body.sequence(), true)) || !context.verified(message)) {
            return;
        }
        Slot slot = context.log.getOrCreate(body.sequence(), context.view);
        Signed<Commit> existing = slot.commits.putIfAbsent(body.replicaId(), message);
        if (existing != null) {
            context.drop(message, firstStands(existing.body().batchDigest().equals(body.batchDigest()), "commit",
                    body.sequence(), body.replicaId()));
            return;
        }
        advance(slot);
    }

    /**
     * The view and watermark guards shared by every message about a slot.
     *
     * @param acceptCommitted whether the message is still useful once the slot committed: a pre-prepare
     *     can bring the batch a slot from a NEW-VIEW lacks, and commits strengthen relayed certificates
     */
    private Optional<Rejection> ignoreForSlot(long messageView, long sequence, boolean acceptCommitted) {
        if (!context.viewActive) {
            return Optional.of(Rejection.of(DropReason.WRONG_VIEW, "changing to view %d; no NEW-VIEW yet",
                    context.view));
        }
        if (messageView != context.view) {
            return Optional.of(Rejection.of(DropReason.WRONG_VIEW, "message is for view %d, replica is in view %d",
                    messageView, context.view));
        }
        if (sequence <= context.lowWatermark()) {
            return Optional.of(Rejection.of(DropReason.OBSOLETE, "sequence %d is at or below the stable checkpoint %d",
                    sequence, context.lowWatermark()));
        }
        if (sequence > context.highWatermark()) {
            return Optional.of(Rejection.of(DropReason.OUTSIDE_WATERMARKS, "sequence %d is above the high watermark %d",
                    sequence, context.highWatermark()));
        }
        if (!acceptCommitted && context.log.find(sequence).map(Slot::committed).orElse(false)) {
            return Optional.of(Rejection.of(DropReason.OBSOLETE, "sequence %d is already committed", sequence));
        }
        return Optional.empty();
    }

    private static Rejection firstStands(boolean sameDigest, String kind, long sequence, int sender) {
        return sameDigest
                ? Rejection.of(DropReason.DUPLICATE, "already have replica %d's %s for %d", sender, kind, sequence)
                : Rejection.of(DropReason.CONFLICTING, "replica %d sent a second, different %s for %d", sender, kind,
                        sequence);
    }

    /** Moves a slot through prepared and committed-local (PBFT §4.2), sending the commit once prepared. */
    void advance(Slot slot) {
        int faultsTolerated = context.membership.faultsTolerated();
        if (!slot.commitSent() && slot.isPrepared(faultsTolerated)) {
            PreparedCertificate certificate = certificateOf(slot);
            context.preparedCertificates.record(certificate, slot.batch());
            context.persist(new ProtocolEvent.Prepared(certificate));
            Signed<Commit> commit = context.sign(
                    new Commit(context.view, slot.sequence, slot.batchDigest().orElseThrow(), context.replicaId));
            slot.commits.put(context.replicaId, commit);
            slot.markCommitSent();
            context.persist(new ProtocolEvent.CommitSent(commit));
            context.sendToAllReplicas(commit);
        }
        if (!slot.committed() && slot.commitSent() && slot.isCommittedLocal(faultsTolerated)) {
            slot.markCommitted();
            context.persist(new ProtocolEvent.BatchCommitted(slot.sequence, context.view, slot.batchDigest().orElseThrow()));
        }
    }

    /** The pre-prepare and exactly 2f matching prepares, the lowest replica ids first. */
    private PreparedCertificate certificateOf(Slot slot) {
        return new PreparedCertificate(slot.prePrepare().orElseThrow(),
                slot.matchingPrepares(2 * context.membership.faultsTolerated()));
    }
}
