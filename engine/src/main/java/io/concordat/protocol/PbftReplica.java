package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.Status;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Objects;
import java.util.Optional;

/**
 * One PBFT replica (Castro and Liskov, OSDI '99 §4; TOCS 2002), as a pure state machine: no I/O, no clock,
 * no threads, no randomness. It is driven by {@link #step(Input)} and answers with a {@link Ready} that
 * says what to persist, send and execute; see {@link Ready} for the order rule the shell must follow.
 *
 * <p>Every input passes one dispatch point. A replica message is checked in this order, cheapest first:
 * the sender is a member; the view, sequence number and watermark window fit; the signature verifies;
 * only then does the handler change state. A message that fails a check is dropped with a
 * {@link DropReason} that is reported in {@link Ready#dropped()} and counted.
 *
 * <p>The subprotocols live in their own classes: the log of slots ({@link MessageLog}, {@link Slot}),
 * checkpoints and watermarks ({@link CheckpointTracker}), client sessions ({@link ClientSessions}),
 * batching ({@link PendingRequests}) and authentication ({@link MessageVerifier}).
 */
public final class PbftReplica {
    /** How many verified requests to remember, so that a request is verified once per replica. */
    private static final int VERIFIED_REQUESTS_CAPACITY = 1 << 16;

    private final int replicaId;
    private final Membership membership;
    private final ProtocolConfiguration configuration;
    private final MessageSigner messageSigner;
    private final MessageVerifier verifier;

    private final MessageLog log = new MessageLog();
    private final CheckpointTracker checkpoints;
    private final ClientSessions sessions = new ClientSessions();
    private final PendingRequests pendingRequests;
    private final RequestIndex orderedRequests = new RequestIndex();
    private final ExecutionProgress execution = new ExecutionProgress();
    private final Timers timers = new Timers();
    private final EnumMap<DropReason, Long> dropCounts = new EnumMap<>(DropReason.class);

    private long view;
    /** The highest sequence number this replica assigned as primary in the current view. */
    private long lastAssignedSequence;
    /** Progress marker for the status timer: (last executed, low watermark) when it last fired. */
    private long progressAtLastStatus = -1;

    private ReadyBuilder out;

    public PbftReplica(int replicaId, Membership membership, ProtocolConfiguration configuration, Signer signer,
            SignatureVerifier verifier, MessageEncoder encoder) {
        this.replicaId = replicaId;
        this.membership = Objects.requireNonNull(membership, "membership");
        this.configuration = Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(signer, "signer");
        if (!membership.isMember(replicaId)) {
            throw new IllegalArgumentException("replica " + replicaId + " is not one of the " + membership.size()
                    + " members");
        }
        if (!membership.keyOf(replicaId).orElseThrow().equals(signer.publicKey())) {
            throw new IllegalArgumentException("the signer's public key is not replica " + replicaId
                    + "'s key in the membership");
        }
        this.messageSigner = new MessageSigner(signer, Objects.requireNonNull(encoder, "encoder"));
        this.verifier = new MessageVerifier(membership, Objects.requireNonNull(verifier, "verifier"),
                VERIFIED_REQUESTS_CAPACITY);
        this.checkpoints = new CheckpointTracker(membership, replicaId);
        this.pendingRequests = new PendingRequests(configuration.pendingRequestsMax());
    }

    /**
     * Advances the replica by one input. Not thread-safe: the shell calls it from one thread (an actor).
     *
     * @return what to persist, send and execute, in that order (see {@link Ready})
     */
    public Ready step(Input input) {
        Objects.requireNonNull(input, "input");
        Invariants.check(out == null, "step is not re-entrant");
        out = new ReadyBuilder();
        try {
            dispatch(input);
            afterStep();
            checkInvariants();
            return out.build();
        } finally {
            out = null;
        }
    }

    public Ready tick() {
        return step(new Input.Tick());
    }

    public ReplicaStatus status() {
        return new ReplicaStatus(replicaId, view, membership.primaryOf(view), execution.lastExecutedSequence(),
                lowWatermark(), highWatermark(), checkpoints.stableDigest(), pendingRequests.size(), dropCounts);
    }

    public int replicaId() {
        return replicaId;
    }

    public Membership membership() {
        return membership;
    }

    // ---------------------------------------------------------------- dispatch

    private void dispatch(Input input) {
        if (input instanceof Input.Receive receive) {
            onReceive(receive.envelope());
        } else if (input instanceof Input.Executed executed) {
            onExecuted(executed);
        } else if (input instanceof Input.ReadOnlyExecuted readOnly) {
            onReadOnlyExecuted(readOnly);
        } else if (input instanceof Input.Tick) {
            onTick();
        } else {
            throw new IllegalArgumentException("unknown input " + input.getClass().getName());
        }
    }

    @SuppressWarnings("unchecked")
    private void onReceive(Envelope envelope) {
        if (envelope instanceof Envelope.PrePrepareEnvelope prePrepare) {
            onPrePrepare(prePrepare.prePrepare(), prePrepare.batch());
            return;
        }
        Signed<? extends Signable> message = ((Envelope.MessageEnvelope) envelope).message();
        if (message.body() instanceof ClientRequest) {
            onRequest((Signed<ClientRequest>) message);
            return;
        }
        Signed<? extends ReplicaMessage> replicaMessage = (Signed<? extends ReplicaMessage>) message;
        ReplicaMessage body = replicaMessage.body();
        if (!membership.isMember(body.replicaId())) {
            drop(replicaMessage, Rejection.of(DropReason.UNKNOWN_SENDER, "replica %d is not one of the %d members",
                    body.replicaId(), membership.size()));
        } else if (body instanceof Prepare) {
            onPrepare((Signed<Prepare>) message);
        } else if (body instanceof Commit) {
            onCommit((Signed<Commit>) message);
        } else if (body instanceof Checkpoint) {
            onCheckpoint((Signed<Checkpoint>) message);
        } else if (body instanceof Status) {
            onStatus((Signed<Status>) message);
        } else {
            drop(replicaMessage, Rejection.of(DropReason.UNEXPECTED, "replicas do not accept %s messages",
                    body.getClass().getSimpleName()));
        }
    }

    /** The signature check, shared by every replica message handler after its cheap guards pass. */
    private boolean verified(Signed<? extends ReplicaMessage> message) {
        Optional<Rejection> rejection = verifier.verifyReplicaMessage(message);
        rejection.ifPresent(reason -> drop(message, reason));
        return rejection.isEmpty();
    }

    // ---------------------------------------------------------------- requests (PBFT §4.1)

    private void onRequest(Signed<ClientRequest> request) {
        Optional<Rejection> rejection = ignoreRequest(request);
        if (rejection.isPresent()) {
            drop(request, rejection.get());
            return;
        }
        ClientRequest body = request.body();
        if (body.readOnly()) {
            out.execute.add(new Execution.ExecuteReadOnly(request));
            return;
        }
        long lastExecuted = sessions.lastRequestNumber(body.clientId());
        if (body.requestNumber() == lastExecuted) {
            Optional<Signed<Reply>> cached = sessions.cachedReply(body.clientId(), body.requestNumber());
            if (cached.isPresent()) {
                out.send.add(new Outbound(new Destination.Client(body.clientId()),
                        new Envelope.MessageEnvelope(cached.get())));
            } else {
                drop(request, Rejection.of(DropReason.DUPLICATE, "request %d is executing now", lastExecuted));
            }
            return;
        }
        if (body.requestNumber() <= orderedRequests.highest(body.clientId())) {
            drop(request, Rejection.of(DropReason.DUPLICATE, "request %d is already ordered", body.requestNumber()));
            return;
        }
        PendingRequests.AddOutcome outcome = pendingRequests.add(request);
        switch (outcome) {
            case DUPLICATE -> drop(request, Rejection.of(DropReason.DUPLICATE, "request %d is already pending",
                    body.requestNumber()));
            case OLDER -> drop(request, Rejection.of(DropReason.STALE_REQUEST,
                    "a newer request of this client is pending"));
            case FULL -> drop(request, Rejection.of(DropReason.OVERLOADED, "%d requests are pending already",
                    pendingRequests.size()));
            default -> { }
        }
    }

    private Optional<Rejection> ignoreRequest(Signed<ClientRequest> request) {
        ClientRequest body = request.body();
        if (body.operation().size() > configuration.requestMaxBytes()) {
            return Optional.of(Rejection.of(DropReason.OVERSIZED, "operation of %d bytes exceeds requestMaxBytes %d",
                    body.operation().size(), configuration.requestMaxBytes()));
        }
        if (!body.readOnly() && body.requestNumber() < sessions.lastRequestNumber(body.clientId())) {
            return Optional.of(Rejection.of(DropReason.STALE_REQUEST, "request %d is older than the last executed %d",
                    body.requestNumber(), sessions.lastRequestNumber(body.clientId())));
        }
        if (!verifier.verifyRequest(request)) {
            return Optional.of(Rejection.of(DropReason.BAD_SIGNATURE, "the request's signature does not verify"));
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- normal case (PBFT §4.2)

    /** The primary assigns sequence numbers to batches of pending requests inside the window. */
    private void proposeBatches(boolean batchTimerFired) {
        if (!isPrimary()) {
            return;
        }
        boolean flush = batchTimerFired || configuration.batchDelayTicks() == 0;
        while (!pendingRequests.isEmpty() && lastAssignedSequence < highWatermark()) {
            boolean nothingInFlight = lastAssignedSequence == execution.lastExecutedSequence();
            boolean batchFull = pendingRequests.size() >= configuration.batchMaxRequests()
                    || pendingRequests.totalBytes() >= configuration.batchMaxBytes();
            // Propose at once when idle (latency) or when a batch is full (throughput); otherwise wait up to
            // batchDelayTicks for more requests to share the cost of the three-phase exchange.
            if (!(nothingInFlight || batchFull || flush)) {
                timers.startBatch(out, timers.now() + configuration.batchDelayTicks());
                return;
            }
            proposeOne();
        }
        timers.stopBatch(out);
    }

    private void proposeOne() {
        var batch = new Batch(
                pendingRequests.takeBatch(configuration.batchMaxRequests(), configuration.batchMaxBytes()));
        long sequence = ++lastAssignedSequence;
        Signed<PrePrepare> prePrepare = messageSigner.sign(
                new PrePrepare(view, sequence, batch.digest(), replicaId));
        Slot slot = log.getOrCreate(sequence, view);
        slot.acceptPrePrepare(prePrepare, batch);
        orderedRequests.addAll(batch);
        out.persist.add(new ProtocolEvent.PrePrepareAccepted(prePrepare, batch));
        out.send.add(toAllReplicas(new Envelope.PrePrepareEnvelope(prePrepare, batch)));
        advance(slot);
    }

    private void onPrePrepare(Signed<PrePrepare> message, Batch batch) {
        Optional<Rejection> rejection = ignorePrePrepare(message);
        if (rejection.isPresent()) {
            drop(message, rejection.get());
            return;
        }
        if (!verified(message)) {
            return;
        }
        rejection = ignoreBatch(message.body(), batch);
        if (rejection.isPresent()) {
            drop(message, rejection.get());
            return;
        }
        PrePrepare body = message.body();
        Slot slot = log.getOrCreate(body.sequence(), view);
        slot.acceptPrePrepare(message, batch);
        orderedRequests.addAll(batch);
        for (Signed<ClientRequest> request : batch.requests()) {
            pendingRequests.removeUpTo(request.body().clientId(), request.body().requestNumber());
        }
        Signed<Prepare> prepare = messageSigner.sign(new Prepare(view, body.sequence(), body.batchDigest(), replicaId));
        slot.prepares.put(replicaId, prepare);
        out.persist.add(new ProtocolEvent.PrePrepareAccepted(message, batch));
        out.persist.add(new ProtocolEvent.PrepareSent(prepare));
        out.send.add(toAllReplicas(new Envelope.MessageEnvelope(prepare)));
        advance(slot);
    }

    /** A backup accepts a pre-prepare only under the conditions of PBFT §4.2. */
    private Optional<Rejection> ignorePrePrepare(Signed<PrePrepare> message) {
        PrePrepare body = message.body();
        if (!membership.isMember(body.replicaId())) {
            return Optional.of(Rejection.of(DropReason.UNKNOWN_SENDER, "replica %d is not a member", body.replicaId()));
        }
        Optional<Rejection> slotRejection = ignoreForSlot(body.view(), body.sequence());
        if (slotRejection.isPresent()) {
            return slotRejection;
        }
        if (body.replicaId() != membership.primaryOf(view)) {
            return Optional.of(Rejection.of(DropReason.NOT_FROM_PRIMARY, "replica %d is not the primary of view %d",
                    body.replicaId(), view));
        }
        Optional<Slot> existing = log.find(body.sequence());
        if (isPrimary() || existing.flatMap(Slot::batchDigest).isPresent()) {
            boolean same = existing.flatMap(Slot::batchDigest).map(body.batchDigest()::equals).orElse(true);
            return Optional.of(same
                    ? Rejection.of(DropReason.DUPLICATE, "already have the pre-prepare for %d", body.sequence())
                    : Rejection.of(DropReason.CONFLICTING, "a different pre-prepare for %d was accepted", body.sequence()));
        }
        return Optional.empty();
    }

    private Optional<Rejection> ignoreBatch(PrePrepare prePrepare, Batch batch) {
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
            if (!verifier.verifyRequest(request)) {
                return Optional.of(Rejection.of(DropReason.BAD_SIGNATURE,
                        "batch for %d holds a request with a bad signature", prePrepare.sequence()));
            }
        }
        return Optional.empty();
    }

    private void onPrepare(Signed<Prepare> message) {
        Prepare body = message.body();
        Optional<Rejection> rejection = ignoreForSlot(body.view(), body.sequence());
        if (rejection.isEmpty() && body.replicaId() == membership.primaryOf(view)) {
            rejection = Optional.of(Rejection.of(DropReason.UNEXPECTED, "the primary sends pre-prepares, not prepares"));
        }
        if (rejection.isPresent()) {
            drop(message, rejection.get());
            return;
        }
        if (!verified(message)) {
            return;
        }
        Slot slot = log.getOrCreate(body.sequence(), view);
        Signed<Prepare> existing = slot.prepares.putIfAbsent(body.replicaId(), message);
        if (existing != null) {
            drop(message, firstStands(existing.body().batchDigest().equals(body.batchDigest()), "prepare", body.sequence(),
                    body.replicaId()));
            return;
        }
        advance(slot);
    }

    private void onCommit(Signed<Commit> message) {
        Commit body = message.body();
        Optional<Rejection> rejection = ignoreForSlot(body.view(), body.sequence());
        if (rejection.isPresent()) {
            drop(message, rejection.get());
            return;
        }
        if (!verified(message)) {
            return;
        }
        Slot slot = log.getOrCreate(body.sequence(), view);
        Signed<Commit> existing = slot.commits.putIfAbsent(body.replicaId(), message);
        if (existing != null) {
            drop(message, firstStands(existing.body().batchDigest().equals(body.batchDigest()), "commit", body.sequence(),
                    body.replicaId()));
            return;
        }
        advance(slot);
    }

    /** The view and watermark guards shared by every message about a slot. */
    private Optional<Rejection> ignoreForSlot(long messageView, long sequence) {
        if (messageView != view) {
            return Optional.of(Rejection.of(DropReason.WRONG_VIEW, "message is for view %d, replica is in view %d",
                    messageView, view));
        }
        if (sequence <= execution.lastExecutedSequence()) {
            return Optional.of(Rejection.of(DropReason.OBSOLETE, "sequence %d is already executed (last %d)",
                    sequence, execution.lastExecutedSequence()));
        }
        if (sequence > highWatermark()) {
            return Optional.of(Rejection.of(DropReason.OUTSIDE_WATERMARKS, "sequence %d is above the high watermark %d",
                    sequence, highWatermark()));
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
    private void advance(Slot slot) {
        int f = membership.faultsTolerated();
        if (!slot.commitSent() && slot.isPrepared(f)) {
            Signed<Commit> commit = messageSigner.sign(
                    new Commit(view, slot.sequence, slot.batchDigest().orElseThrow(), replicaId));
            slot.commits.put(replicaId, commit);
            slot.markCommitSent();
            out.persist.add(new ProtocolEvent.CommitSent(commit));
            out.send.add(toAllReplicas(new Envelope.MessageEnvelope(commit)));
        }
        if (!slot.committed() && slot.commitSent() && slot.isCommittedLocal(f)) {
            slot.markCommitted();
            out.persist.add(new ProtocolEvent.BatchCommitted(slot.sequence, view, slot.batchDigest().orElseThrow()));
        }
    }

    // ---------------------------------------------------------------- execution and replies (PBFT §4.1, §4.2)

    /** Hands the next committed batch to the application, one at a time and strictly in sequence order. */
    private void startExecutionIfReady() {
        if (execution.inProgress()) {
            return;
        }
        long next = execution.lastExecutedSequence() + 1;
        Optional<Slot> slot = log.find(next).filter(Slot::committed);
        if (slot.isEmpty()) {
            return;
        }
        var batch = slot.get().batch().orElseThrow();
        var toExecute = new ArrayList<Signed<ClientRequest>>(batch.requests().size());
        for (Signed<ClientRequest> request : batch.requests()) {
            ClientRequest body = request.body();
            // Exactly-once: a request runs only if it is newer than the client's last executed one. The
            // decision depends only on the agreed log, so every correct replica makes the same one.
            if (body.requestNumber() > sessions.lastRequestNumber(body.clientId())) {
                sessions.startExecution(body.clientId(), body.requestNumber());
                toExecute.add(request);
            }
            pendingRequests.removeUpTo(body.clientId(), body.requestNumber());
            orderedRequests.removeUpTo(body.clientId(), body.requestNumber());
            verifier.forget(request);
        }
        boolean checkpointDue = next % configuration.checkpointInterval() == 0;
        execution.start(next, toExecute, checkpointDue);
        out.execute.add(new Execution.ExecuteBatch(next, view, slot.get().batchDigest().orElseThrow(), toExecute,
                checkpointDue));
    }

    private void onExecuted(Input.Executed executed) {
        Invariants.check(execution.inProgress() && executed.sequence() == execution.executingSequence(),
                "executed sequence %d, but %s", executed.sequence(), execution);
        var requests = execution.executingRequests();
        Invariants.check(executed.results().size() == requests.size(), "%d results for %d requests at sequence %d",
                executed.results().size(), requests.size(), executed.sequence());
        Invariants.check(executed.applicationStateDigest().isPresent() == execution.checkpointDue(),
                "sequence %d: an application state digest is required exactly at checkpoints", executed.sequence());
        for (int index = 0; index < requests.size(); index++) {
            ClientRequest request = requests.get(index).body();
            var result = executed.results().get(index);
            Signed<Reply> reply = messageSigner.sign(
                    new Reply(view, request.clientId(), request.requestNumber(), result, false, replicaId));
            sessions.recordReply(request.clientId(), result, reply);
            out.send.add(new Outbound(new Destination.Client(request.clientId()), new Envelope.MessageEnvelope(reply)));
        }
        execution.finish();
        executed.applicationStateDigest().ifPresent(digest -> takeCheckpoint(executed.sequence(), digest));
    }

    private void onReadOnlyExecuted(Input.ReadOnlyExecuted executed) {
        ClientRequest request = executed.request().body();
        Signed<Reply> reply = messageSigner.sign(
                new Reply(view, request.clientId(), request.requestNumber(), executed.result(), true, replicaId));
        out.send.add(new Outbound(new Destination.Client(request.clientId()), new Envelope.MessageEnvelope(reply)));
    }

    // ---------------------------------------------------------------- checkpoints (PBFT §4.3)

    private void takeCheckpoint(long sequence, Digest applicationStateDigest) {
        // The replicated state is the application plus the client sessions (the last reply table of §4.3).
        var stateDigest = Sha256.builder()
                .putDigest(applicationStateDigest)
                .putDigest(sessions.digest())
                .build();
        Signed<Checkpoint> checkpoint = messageSigner.sign(new Checkpoint(sequence, stateDigest, replicaId));
        checkpoints.add(checkpoint);
        out.persist.add(new ProtocolEvent.CheckpointSent(checkpoint));
        out.send.add(toAllReplicas(new Envelope.MessageEnvelope(checkpoint)));
        out.checkpoints.add(new CheckpointNotice.Taken(sequence, stateDigest));
        checkDivergence(sequence);
        stabilizeCheckpoints();
    }

    private void onCheckpoint(Signed<Checkpoint> message) {
        Checkpoint body = message.body();
        Optional<Rejection> rejection = ignoreCheckpoint(body);
        if (rejection.isPresent()) {
            drop(message, rejection.get());
            return;
        }
        if (!verified(message)) {
            return;
        }
        checkpoints.add(message).ifPresentOrElse(reason -> drop(message, reason), () -> {
            checkDivergence(body.sequence());
            stabilizeCheckpoints();
        });
    }

    private Optional<Rejection> ignoreCheckpoint(Checkpoint body) {
        if (body.sequence() % configuration.checkpointInterval() != 0) {
            return Optional.of(Rejection.of(DropReason.MALFORMED, "checkpoint %d is not a multiple of %d",
                    body.sequence(), configuration.checkpointInterval()));
        }
        if (body.sequence() <= lowWatermark()) {
            return Optional.of(Rejection.of(DropReason.OBSOLETE, "checkpoint %d is at or below the stable one %d",
                    body.sequence(), lowWatermark()));
        }
        if (body.sequence() > highWatermark()) {
            return Optional.of(Rejection.of(DropReason.OUTSIDE_WATERMARKS, "checkpoint %d is above the high watermark %d",
                    body.sequence(), highWatermark()));
        }
        return Optional.empty();
    }

    private void checkDivergence(long sequence) {
        // A correct replica's state cannot differ from what 2f+1 replicas certified unless Concordat or the
        // application has a bug (a non-deterministic state machine, say). Continuing would serve wrong
        // results, so stop loudly. State transfer will repair this instead (a later issue).
        Invariants.check(!checkpoints.divergesFromQuorum(sequence),
                "replica %d's state at checkpoint %d differs from the digest 2f+1 replicas certified",
                replicaId, sequence);
    }

    /** Makes the highest provable checkpoint stable, collects garbage and moves the watermarks (§4.3). */
    private void stabilizeCheckpoints() {
        checkpoints.findNewlyStable().ifPresent(proof -> {
            Checkpoint stable = proof.get(0).body();
            checkpoints.stabilize(proof);
            log.discardUpTo(stable.sequence());
            out.persist.add(new ProtocolEvent.CheckpointStabilized(stable.sequence(), stable.stateDigest(), proof));
            out.checkpoints.add(new CheckpointNotice.Stable(stable.sequence(), stable.stateDigest()));
        });
    }

    // ---------------------------------------------------------------- status and retransmission

    private void onStatus(Signed<Status> message) {
        Status body = message.body();
        if (body.view() != view) {
            drop(message, Rejection.of(DropReason.WRONG_VIEW, "status is for view %d, replica is in view %d",
                    body.view(), view));
            return;
        }
        if (body.replicaId() == replicaId) {
            drop(message, Rejection.of(DropReason.DUPLICATE, "own status"));
            return;
        }
        if (!verified(message)) {
            return;
        }
        new Retransmission(out, body, replicaId).send(log, checkpoints, execution.lastExecutedSequence());
    }

    private void onTick() {
        timers.advance();
        if (timers.batchExpired()) {
            timers.stopBatch(out);
            proposeBatches(true);
        }
        if (timers.statusExpired()) {
            timers.stopStatus(out);
            long progress = execution.lastExecutedSequence() * 31 + lowWatermark();
            // Only a replica that made no progress for a whole interval asks for help, so a busy but
            // healthy cluster sends no status messages at all.
            if (progress == progressAtLastStatus) {
                Signed<Status> status = messageSigner.sign(
                        new Status(view, execution.lastExecutedSequence(), lowWatermark(), replicaId));
                out.send.add(toAllReplicas(new Envelope.MessageEnvelope(status)));
            }
            progressAtLastStatus = progress;
        }
    }

    // ---------------------------------------------------------------- after every step

    private void afterStep() {
        startExecutionIfReady();
        proposeBatches(false);
        boolean unfinishedWork = !pendingRequests.isEmpty() || execution.inProgress()
                || log.highestSequence().orElse(0L) > execution.lastExecutedSequence()
                || checkpoints.hasUnstableOwnCheckpoint();
        if (unfinishedWork) {
            timers.startStatus(out, timers.now() + configuration.statusIntervalTicks());
        } else {
            timers.stopStatus(out);
            progressAtLastStatus = -1;
        }
    }

    private void checkInvariants() {
        long lastExecuted = execution.lastExecutedSequence();
        Invariants.check(lowWatermark() <= lastExecuted, "low watermark %d is above the last executed %d",
                lowWatermark(), lastExecuted);
        Invariants.check(lastExecuted <= highWatermark(), "last executed %d is above the high watermark %d",
                lastExecuted, highWatermark());
        Invariants.check(log.lowestSequence().orElse(Long.MAX_VALUE) > lowWatermark(),
                "the log holds sequence %s at or below the low watermark %d", log.lowestSequence(), lowWatermark());
        Invariants.check(log.highestSequence().orElse(0L) <= highWatermark(),
                "the log holds sequence %s above the high watermark %d", log.highestSequence(), highWatermark());
        Invariants.check(!isPrimary() || lastAssignedSequence >= lastExecuted,
                "the primary executed %d beyond its last assigned %d", lastExecuted, lastAssignedSequence);
        Invariants.check(pendingRequests.size() <= configuration.pendingRequestsMax(), "%d pending requests exceed %d",
                pendingRequests.size(), configuration.pendingRequestsMax());
    }

    // ---------------------------------------------------------------- helpers

    private boolean isPrimary() {
        return membership.primaryOf(view) == replicaId;
    }

    private long lowWatermark() {
        return checkpoints.stableSequence();
    }

    private long highWatermark() {
        return lowWatermark() + configuration.watermarkWindow();
    }

    private static Outbound toAllReplicas(Envelope envelope) {
        return new Outbound(new Destination.AllReplicas(), envelope);
    }

    private void drop(Signed<? extends Signable> message, Rejection rejection) {
        Signable body = message.body();
        String sender = body instanceof ReplicaMessage replicaMessage
                ? "replica-" + replicaMessage.replicaId()
                : "client-" + ((ClientRequest) body).clientId();
        dropCounts.merge(rejection.reason(), 1L, Long::sum);
        out.dropped.add(new Dropped(body.getClass().getSimpleName(), sender, rejection.reason(), rejection.detail()));
    }
}
