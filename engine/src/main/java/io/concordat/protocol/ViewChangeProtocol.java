package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * View changes (PBFT OSDI §4.4, TOCS §4.5): suspecting the primary, VIEW-CHANGE, NEW-VIEW and entering the
 * new view.
 *
 * <p>A replica suspects the primary when a request waited {@code viewChangeTimeoutTicks} without executing
 * (the request timer), or when it heard nothing from the primary for that long (the idle primary sends
 * heartbeats). It then multicasts a VIEW-CHANGE for the next view and accepts no more normal-case messages
 * of the old view. A replica that sees f+1 VIEW-CHANGE messages for higher views joins the smallest of them,
 * so one slow timer cannot keep it behind. Once it holds 2f+1 VIEW-CHANGE messages for its target view it
 * waits for the NEW-VIEW; if that does not come in time, it moves one view further with twice the timeout.
 * The timeout returns to its base after the replica executes a batch in an active view.
 */
final class ViewChangeProtocol {
    /** Keeps the doubling bounded: 2^16 times the base is more than anyone will wait. */
    private static final int MAXIMUM_DOUBLINGS = 16;

    private final ReplicaContext context;
    private final NormalCase normalCase;
    private final CheckpointProtocol checkpointProtocol;
    private final StateTransfer stateTransfer;
    private final ViewChangeValidator validator;
    /** The latest valid VIEW-CHANGE of each replica: bounded by n however many views a liar announces. */
    private final Map<Integer, Signed<ViewChange>> latestViewChanges = new TreeMap<>();
    private int viewChangesWithoutProgress;
    private Optional<Signed<NewView>> lastNewView = Optional.empty();
    /** The request the request timer runs for (PBFT §4.4 ties the timer to one waiting request). */
    private Optional<TimedRequest> timedRequest = Optional.empty();
    /** Since when this replica has continuously heard from 2f others; {@link Long#MAX_VALUE} while it has not. */
    private long quorumContactSinceTick = Long.MAX_VALUE;
    private long lastContactSoughtTick = Long.MIN_VALUE / 2;

    /** When the request timer started for {@link #timedRequest}, and whether the backup relayed since. */
    private long timedRequestSinceTick;
    private boolean relayedForTimedRequest;

    private record TimedRequest(io.concordat.crypto.PublicKey clientId, long requestNumber) {}
    private long lastHeartbeatTick;

    ViewChangeProtocol(ReplicaContext context, NormalCase normalCase, CheckpointProtocol checkpointProtocol,
            StateTransfer stateTransfer, ViewChangeValidator validator) {
        this.context = context;
        this.normalCase = normalCase;
        this.checkpointProtocol = checkpointProtocol;
        this.stateTransfer = stateTransfer;
        this.validator = validator;
    }

    long currentTimeoutTicks() {
        return (long) context.configuration.viewChangeTimeoutTicks() << Math.min(viewChangesWithoutProgress,
                MAXIMUM_DOUBLINGS);
    }

    // ---------------------------------------------------------------- suspicion

    void onTick() {
        if (!context.viewActive) {
            if (context.timers.expired(TimerChange.Timer.VIEW_CHANGE)) {
                startViewChange(context.view + 1);
            }
            return;
        }
        trackQuorumContact();
        relayWaitingRequestsAtHalfTimeout();
        boolean requestWaitedTooLong = context.timers.expired(TimerChange.Timer.REQUEST);
        boolean primarySilent = !context.isPrimary()
                && context.now() - context.lastHeardFromPrimaryTick >= currentTimeoutTicks();
        if (requestWaitedTooLong || primarySilent) {
            if (quorumContactForAWholeTimeout()) {
                startViewChange(context.view + 1);
            } else {
                seekQuorumContact();
            }
        } else if (context.isPrimary() && context.timers.expired(TimerChange.Timer.HEARTBEAT)) {
            sendHeartbeatIfIdle();
        }
    }

    /**
     * Deviation from PBFT, for liveness: a replica suspects its primary only once it has heard from 2f other
     * replicas for a whole timeout. A view change needs 2f+1 VIEW-CHANGE messages; one started by a replica
     * that cannot hear that many cannot complete, and strands it in the next view, where PBFT gives it no way
     * back (its VIEW-CHANGE promised to take no further part in the current view, §4.4) while the others carry
     * on in the current one. The crash campaign hit this after every replica was restarted at once: the backup
     * that was up first suspected the primary, whose process was still starting. Waiting a whole timeout after
     * contact also gives a primary that comes up with the others its full timeout. When the primary really
     * fails under load, the backups keep hearing each other (commits, then STATUS every
     * {@code statusIntervalTicks}), so the contact never lapses and the view change is not delayed. Byzantine
     * replicas cannot hold it back: the 2f correct replicas besides this one are enough contact. Safety is not
     * affected; suspicion is only ever a liveness matter.
     */
    private boolean quorumContactForAWholeTimeout() {
        return quorumContactSinceTick != Long.MAX_VALUE
                && context.now() - quorumContactSinceTick >= currentTimeoutTicks();
    }

    /**
     * PBFT §4.1: a backup relays to the primary the requests it receives. Concordat's backups relay what they
     * hold once the request the timer runs for has waited half a timeout, not on arrival: clients send every
     * request to every replica, so relaying each on arrival would multiply the primary's intake by n for
     * nothing, while a request that waited half a timeout may be one the primary never received (a client
     * that sent it only to backups). The primary then has the other half of the timeout before this backup
     * suspects it, so a client cannot depose a correct primary by leaving it out. At most one batch's worth
     * of requests, the longest waiting first, goes out per timed request.
     */
    private void relayWaitingRequestsAtHalfTimeout() {
        if (context.isPrimary() || timedRequest.isEmpty() || relayedForTimedRequest
                || context.now() - timedRequestSinceTick < currentTimeoutTicks() / 2) {
            return;
        }
        relayedForTimedRequest = true;
        Destination primary = new Destination.Replica(context.primary());
        for (Signed<ClientRequest> request : context.pendingRequests.oldestFirst(
                context.configuration.batchMaxRequests())) {
            context.sendTo(primary, request);
        }
    }

    /**
     * An idle cluster exchanges no messages, so backups whose primary fell silent multicast STATUS (every half
     * timeout, so that the contact stays fresh) to hear from each other; those STATUS messages establish the
     * contact that {@link #quorumContactForAWholeTimeout()} waits for.
     */
    private void seekQuorumContact() {
        if (context.now() - lastContactSoughtTick < Math.max(1, context.configuration.viewChangeTimeoutTicks() / 2)) {
            return;
        }
        lastContactSoughtTick = context.now();
        context.sendToAllReplicas(context.ownStatus());
    }

    private void trackQuorumContact() {
        if (!context.heardFromQuorumWithin(context.configuration.viewChangeTimeoutTicks())) {
            quorumContactSinceTick = Long.MAX_VALUE;
        } else if (quorumContactSinceTick == Long.MAX_VALUE) {
            quorumContactSinceTick = context.now();
        }
    }

    /**
     * A batch executed in an active view: the timeout returns to its base (PBFT §4.4). The request timer stops
     * only if the request it runs for has executed; other requests executing do not restart it, or a primary
     * that censors one client while serving the others would never be suspected.
     */
    void progressed() {
        if (!context.viewActive) {
            // A batch learned from the view this replica left (EarlierViewCommits) says nothing of the view
            // it waits for: the doubled timeout stays.
            return;
        }
        viewChangesWithoutProgress = 0;
        stopTimerIfItsRequestExecuted();
    }

    private void stopTimerIfItsRequestExecuted() {
        if (timedRequest.isPresent() && context.sessions.lastRequestNumber(timedRequest.get().clientId())
                >= timedRequest.get().requestNumber()) {
            timedRequest = Optional.empty();
            context.timers.stop(context.out, TimerChange.Timer.REQUEST);
        }
    }

    /** The request that has waited longest: pending ones first (a censored request stays there), then ordered. */
    private Optional<TimedRequest> oldestWaitingRequest() {
        Optional<TimedRequest> pending = context.pendingRequests.oldest()
                .map(request -> new TimedRequest(request.body().clientId(), request.body().requestNumber()));
        return pending.or(() -> context.orderedRequests.first()
                .map(entry -> new TimedRequest(entry.getKey(), entry.getValue())));
    }

    /**
     * A hint from the membership layer that a peer looks unreachable. It never replaces the protocol's own
     * evidence (2f+1 VIEW-CHANGE messages are still needed): it only makes this replica lose patience with
     * a primary that looks unreachable after a quarter of the usual timeout.
     */
    void onPeerUnreachable(int replicaId) {
        if (context.viewActive && replicaId == context.primary() && !context.isPrimary()) {
            long shortened = context.now() - currentTimeoutTicks() * 3 / 4;
            context.lastHeardFromPrimaryTick = Math.min(context.lastHeardFromPrimaryTick, shortened);
        }
    }

    /** Arms or disarms the request and heartbeat timers after each step. */
    void afterStep() {
        if (!context.viewActive) {
            return;
        }
        stopTimerIfItsRequestExecuted();
        if (timedRequest.isEmpty()) {
            timedRequest = oldestWaitingRequest();
            timedRequestSinceTick = context.now();
            relayedForTimedRequest = false;
            if (timedRequest.isPresent()) {
                context.timers.restart(context.out, TimerChange.Timer.REQUEST, context.now() + currentTimeoutTicks());
            } else {
                context.timers.stop(context.out, TimerChange.Timer.REQUEST);
            }
        }
        if (context.isPrimary()) {
            context.timers.start(context.out, TimerChange.Timer.HEARTBEAT,
                    lastHeartbeatTick + context.configuration.heartbeatIntervalTicks());
        } else {
            context.timers.stop(context.out, TimerChange.Timer.HEARTBEAT);
        }
    }

    private void sendHeartbeatIfIdle() {
        context.timers.stop(context.out, TimerChange.Timer.HEARTBEAT);
        long lastSent = Math.max(lastHeartbeatTick, context.lastProposalTick);
        if (context.now() - lastSent >= context.configuration.heartbeatIntervalTicks()) {
            context.sendToAllReplicas(context.ownStatus());
            lastHeartbeatTick = context.now();
        }
    }

    // ---------------------------------------------------------------- VIEW-CHANGE

    /** Moves to {@code newView} and multicasts a VIEW-CHANGE for it (PBFT §4.4). */
    void startViewChange(long newView) {
        Invariants.check(newView > context.view || (newView == context.view && context.viewActive),
                "cannot change from view %d to %d", context.view, newView);
        context.view = newView;
        context.viewActive = false;
        timedRequest = Optional.empty();
        viewChangesWithoutProgress++;
        for (TimerChange.Timer timer : List.of(TimerChange.Timer.REQUEST, TimerChange.Timer.BATCH,
                TimerChange.Timer.HEARTBEAT, TimerChange.Timer.VIEW_CHANGE)) {
            context.timers.stop(context.out, timer);
        }
        long stableSequence = context.lowWatermark();
        Signed<ViewChange> viewChange = context.sign(new ViewChange(newView, stableSequence,
                context.checkpoints.stableDigest().orElse(CheckpointTracker.GENESIS_DIGEST),
                context.checkpoints.stableProof(), context.preparedCertificates.above(stableSequence),
                context.replicaId));
        context.persist(new ProtocolEvent.ViewChangeSent(viewChange));
        context.sendToAllReplicas(viewChange);
        latestViewChanges.put(context.replicaId, viewChange);
        afterViewChangeMessage();
    }

    /** Sends the NEW-VIEW of the current view to a replica that is still in an older one. */
    void sendNewViewTo(int replicaId) {
        if (context.viewActive) {
            lastNewView.filter(newView -> newView.body().view() == context.view)
                    .ifPresent(newView -> context.sendTo(new Destination.Replica(replicaId), newView));
        }
    }

    /** Resends this replica's VIEW-CHANGE while it waits; an active replica answers with the NEW-VIEW. */
    void retransmitViewChange() {
        Signed<ViewChange> own = latestViewChanges.get(context.replicaId);
        if (!context.viewActive && own != null && own.body().newView() == context.view) {
            context.sendToAllReplicas(own);
        }
    }

    void onViewChange(Signed<ViewChange> message) {
        ViewChange body = message.body();
        int sender = body.replicaId();
        if (body.newView() < context.view) {
            context.drop(message, Rejection.of(DropReason.OBSOLETE, "VIEW-CHANGE for view %d, replica is in view %d",
                    body.newView(), context.view));
            return;
        }
        if (body.newView() == context.view && context.viewActive) {
            // The sender missed the NEW-VIEW of the view this replica is in: resend it, but only once the
            // VIEW-CHANGE verifies, or a forged one would make this replica send a large signed message.
            if (context.verified(message)) {
                sendNewViewTo(sender);
            }
            return;
        }
        Signed<ViewChange> existing = latestViewChanges.get(sender);
        if (existing != null && existing.body().newView() >= body.newView()) {
            context.heardAgain(message, existing);
            context.drop(message, Rejection.of(DropReason.DUPLICATE, "already have replica %d's VIEW-CHANGE for %d",
                    sender, existing.body().newView()));
            return;
        }
        if (!context.verified(message) || context.dropped(message, validator.validate(body))) {
            return;
        }
        latestViewChanges.put(sender, message);
        joinIfFPlusOneAhead();
        afterViewChangeMessage();
    }

    /** PBFT §4.5.2: f+1 VIEW-CHANGE messages for higher views prove a correct replica moved; join the smallest. */
    private void joinIfFPlusOneAhead() {
        List<Long> higherViews = new ArrayList<>();
        for (Signed<ViewChange> viewChange : latestViewChanges.values()) {
            if (viewChange.body().replicaId() != context.replicaId && viewChange.body().newView() > context.view) {
                higherViews.add(viewChange.body().newView());
            }
        }
        if (higherViews.size() >= context.membership.weakQuorum()) {
            startViewChange(higherViews.stream().mapToLong(Long::longValue).min().orElseThrow());
        }
    }

    /** Starts the NEW-VIEW timer once 2f+1 VIEW-CHANGEs are in, and lets the new primary send NEW-VIEW. */
    private void afterViewChangeMessage() {
        if (context.viewActive) {
            return;
        }
        List<Signed<ViewChange>> forTarget = viewChangesFor(context.view);
        if (forTarget.size() < context.membership.quorum()) {
            return;
        }
        context.timers.start(context.out, TimerChange.Timer.VIEW_CHANGE, context.now() + currentTimeoutTicks());
        if (context.isPrimary()) {
            sendNewView(forTarget);
        }
    }

    private List<Signed<ViewChange>> viewChangesFor(long view) {
        List<Signed<ViewChange>> matching = new ArrayList<>();
        for (Signed<ViewChange> viewChange : latestViewChanges.values()) {
            if (viewChange.body().newView() == view) {
                matching.add(viewChange);
            }
        }
        return matching;
    }

    /** Replay of a VIEW-CHANGE this replica sent before a crash: it is changing to that view again. */
    void restoreViewChange(Signed<ViewChange> own) {
        if (own.body().newView() > context.view || (own.body().newView() == context.view && context.viewActive)) {
            context.view = own.body().newView();
            context.viewActive = false;
            viewChangesWithoutProgress++;
        }
        latestViewChanges.put(context.replicaId, own);
    }

    /** Replay of a NEW-VIEW this replica entered before a crash. */
    void restoreNewView(Signed<NewView> newView) {
        if (newView.body().view() >= context.view) {
            enter(newView, NewViewPlan.compute(newView.body().view(), newView.body().replicaId(),
                    bodies(newView.body().viewChanges())));
        }
    }

    Optional<Signed<NewView>> lastNewView() {
        return lastNewView.filter(newView -> newView.body().view() == context.view);
    }

    /** This replica's VIEW-CHANGE while it waits for the NEW-VIEW of its target view. */
    Optional<Signed<ViewChange>> ownViewChangeInProgress() {
        Signed<ViewChange> own = latestViewChanges.get(context.replicaId);
        return !context.viewActive && own != null && own.body().newView() == context.view
                ? Optional.of(own) : Optional.empty();
    }

    // ---------------------------------------------------------------- NEW-VIEW

    private void sendNewView(List<Signed<ViewChange>> viewChanges) {
        NewViewPlan plan = NewViewPlan.compute(context.view, context.replicaId, bodies(viewChanges));
        List<Signed<PrePrepare>> prePrepares = new ArrayList<>();
        for (PrePrepare prePrepare : plan.prePrepares()) {
            prePrepares.add(context.sign(prePrepare));
        }
        Signed<NewView> newView = context.sign(new NewView(context.view, viewChanges, prePrepares, context.replicaId));
        context.sendToAllReplicas(newView);
        enter(newView, plan);
    }

    void onNewView(Signed<NewView> message) {
        NewView body = message.body();
        if (body.view() < context.view || (body.view() == context.view && context.viewActive)) {
            context.drop(message, Rejection.of(DropReason.OBSOLETE, "NEW-VIEW for view %d, replica is in view %d%s",
                    body.view(), context.view, context.viewActive ? "" : " (changing)"));
            return;
        }
        if (body.replicaId() != context.membership.primaryOf(body.view())) {
            context.drop(message, Rejection.of(DropReason.NOT_FROM_PRIMARY, "replica %d is not the primary of view %d",
                    body.replicaId(), body.view()));
            return;
        }
        if (!context.verified(message)
                || context.dropped(message, validator.validateViewChanges(body.view(), body.viewChanges()))) {
            return;
        }
        NewViewPlan plan = NewViewPlan.compute(body.view(), body.replicaId(), bodies(body.viewChanges()));
        if (context.dropped(message, validator.validate(body, plan))) {
            return;
        }
        enter(message, plan);
    }

    /**
     * Enters the view of a valid NEW-VIEW: adopts its stable checkpoint, replaces the log with the O set,
     * sends prepares for it (as a backup), and puts back into the pending queue the requests of the old view
     * that the new view did not re-propose, so they are ordered again (PBFT §4.4).
     */
    private void enter(Signed<NewView> newView, NewViewPlan plan) {
        Map<Digest, Batch> knownBatches = new HashMap<>();
        List<Signed<ClientRequest>> oldRequests = new ArrayList<>();
        for (Slot slot : context.log.all()) {
            slot.batch().ifPresent(batch -> {
                knownBatches.put(batch.digest(), batch);
                oldRequests.addAll(batch.requests());
            });
        }
        context.view = plan.view();
        context.viewActive = true;
        lastNewView = Optional.of(newView);
        context.lastHeardFromPrimaryTick = context.now();
        lastHeartbeatTick = context.now();
        latestViewChanges.values().removeIf(viewChange -> viewChange.body().newView() <= plan.view());
        context.timers.stop(context.out, TimerChange.Timer.VIEW_CHANGE);
        // The new primary gets a full timeout (afterStep re-arms the request timer for what still waits). A
        // replica that enters straight from an active older view (it missed the view change) would otherwise keep
        // that view's deadline, suspect the new primary at once and move on alone.
        timedRequest = Optional.empty();
        context.timers.stop(context.out, TimerChange.Timer.REQUEST);
        context.persist(new ProtocolEvent.NewViewAccepted(newView));
        if (plan.stableSequence() > context.lowWatermark()) {
            if (context.replaying) {
                // Replay runs before re-execution: the checkpoint becomes stable again once execution gets there.
                context.checkpoints.addProof(plan.checkpointProof());
            } else if (context.lastExecutedSequence() >= plan.stableSequence()) {
                checkpointProtocol.adopt(plan.checkpointProof());
            } else {
                // The log below the new view's stable checkpoint is gone everywhere: fetch the state.
                stateTransfer.begin(plan.checkpointProof());
            }
        }
        installPrePrepares(newView.body().prePrepares(), knownBatches);
        context.lastAssignedSequence = Math.max(plan.highestSequence(), context.lastExecutedSequence());
        for (Signed<ClientRequest> request : oldRequests) {
            ClientRequest body = request.body();
            if (body.requestNumber() > context.sessions.lastRequestNumber(body.clientId())
                    && body.requestNumber() > context.orderedRequests.highest(body.clientId())) {
                context.pendingRequests.add(request);
            }
        }
    }

    private void installPrePrepares(List<Signed<PrePrepare>> prePrepares, Map<Digest, Batch> knownBatches) {
        context.log.clear();
        context.orderedRequests.clear();
        Digest nullDigest = Batch.NULL.digest();
        for (Signed<PrePrepare> prePrepare : prePrepares) {
            PrePrepare body = prePrepare.body();
            if (body.sequence() <= context.lowWatermark() || body.sequence() > context.highWatermark()) {
                // At or below the stable checkpoint it is settled; beyond the window, this replica is
                // fetching state and will get the slot from the status retransmission afterwards.
                continue;
            }
            Digest digest = body.batchDigest();
            Optional<Batch> batch = digest.equals(nullDigest) ? Optional.of(Batch.NULL)
                    : Optional.ofNullable(knownBatches.get(digest))
                            .or(() -> context.preparedCertificates.batchWithDigest(digest));
            Slot slot = context.log.getOrCreate(body.sequence(), context.view);
            slot.acceptPrePrepare(prePrepare, batch);
            batch.ifPresent(normalCase::registerOrdered);
            if (!context.isPrimary()) {
                normalCase.sendPrepare(slot);
            }
            normalCase.advance(slot);
        }
    }

    private static List<ViewChange> bodies(List<Signed<ViewChange>> viewChanges) {
        List<ViewChange> bodies = new ArrayList<>(viewChanges.size());
        for (Signed<ViewChange> viewChange : viewChanges) {
            bodies.add(viewChange.body());
        }
        return bodies;
    }
}
