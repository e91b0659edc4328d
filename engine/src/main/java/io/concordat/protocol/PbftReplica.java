package io.concordat.protocol;

import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.StateChunk;
import io.concordat.protocol.message.StateRequest;
import io.concordat.protocol.message.Status;
import io.concordat.protocol.message.ViewChange;
import java.util.List;
import java.util.Objects;

/**
 * One PBFT replica (Castro and Liskov, OSDI '99 §4; TOCS 2002), as a pure state machine: no I/O, no clock,
 * no threads, no randomness. It is driven by {@link #step(Input)} and answers with a {@link Ready} that
 * says what to persist, send and execute; see {@link Ready} for the order rule the shell must follow.
 *
 * <p>This class is the one dispatch point. A replica message is checked in this order, cheapest first:
 * the sender is a member; the view, sequence number and watermark window fit; the signature verifies;
 * only then does the handler change state. A message that fails a check is dropped with a
 * {@link DropReason} that is reported in {@link Ready#dropped()} and counted.
 *
 * <p>The subprotocols live in their own classes and share a {@link ReplicaContext}: client requests
 * ({@link ClientRequestIntake}), the normal case ({@link NormalCase}), execution ({@link ExecutionStage}),
 * checkpoints and watermarks ({@link CheckpointProtocol}), status and retransmission
 * ({@link StatusProtocol}), and view changes ({@link ViewChangeProtocol}).
 */
public final class PbftReplica {
    /** How many verified requests to remember, so that a request is verified once per replica. */
    private static final int VERIFIED_REQUESTS_CAPACITY = 1 << 16;

    private final ReplicaContext context;
    private final ClientRequestIntake intake;
    private final NormalCase normalCase;
    private final CheckpointProtocol checkpointProtocol;
    private final ExecutionStage execution;
    private final EarlierViewCommits earlierViewCommits;
    private final ViewChangeProtocol viewChange;
    private final StatusProtocol status;
    private final StateTransfer stateTransfer;
    private final Recovery recovery;
    private boolean started;

    public PbftReplica(int replicaId, Membership membership, ProtocolConfiguration configuration, Signer signer,
            SignatureVerifier verifier, MessageEncoder encoder) {
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(configuration, "configuration");
        Objects.requireNonNull(signer, "signer");
        Objects.requireNonNull(verifier, "verifier");
        Objects.requireNonNull(encoder, "encoder");
        if (!membership.isMember(replicaId)) {
            throw new IllegalArgumentException("replica " + replicaId + " is not one of the " + membership.size()
                    + " members");
        }
        if (!membership.keyOf(replicaId).orElseThrow().equals(signer.publicKey())) {
            throw new IllegalArgumentException("the signer's public key is not replica " + replicaId
                    + "'s key in the membership");
        }
        MessageVerifier messageVerifier = new MessageVerifier(membership, verifier, VERIFIED_REQUESTS_CAPACITY);
        this.context = new ReplicaContext(replicaId, membership, configuration, new MessageSigner(signer, encoder),
                messageVerifier);
        this.intake = new ClientRequestIntake(context);
        this.normalCase = new NormalCase(context);
        this.stateTransfer = new StateTransfer(context);
        this.checkpointProtocol = new CheckpointProtocol(context, stateTransfer);
        this.earlierViewCommits = new EarlierViewCommits(context);
        this.execution = new ExecutionStage(context, checkpointProtocol, stateTransfer, earlierViewCommits);
        this.viewChange = new ViewChangeProtocol(context, normalCase, checkpointProtocol, stateTransfer,
                new ViewChangeValidator(membership, configuration, messageVerifier));
        this.status = new StatusProtocol(context, viewChange, checkpointProtocol);
        this.recovery = new Recovery(context, normalCase, checkpointProtocol, viewChange, stateTransfer);
    }

    /**
     * Advances the replica by one input. Not thread-safe: the shell calls it from one thread (an actor).
     *
     * @return what to persist, send and execute, in that order (see {@link Ready})
     */
    public Ready step(Input input) {
        Objects.requireNonNull(input, "input");
        Invariants.check(context.out == null, "step is not re-entrant");
        started = true;
        context.out = new ReadyBuilder();
        try {
            dispatch(input);
            afterStep();
            checkInvariants();
            return context.out.build();
        } finally {
            context.out = null;
        }
    }

    /**
     * Rebuilds this fresh replica from the events it persisted before a crash (a compacted history first, if
     * the shell saved one, then the journal after it), before any {@link #step}. The returned {@link Ready}
     * asks the shell to restore the application from the recovered checkpoint and to execute again what was
     * committed; nothing in it contradicts a message sent before the crash.
     *
     * @throws IllegalStateException with a message saying how to recover by hand if the events are damaged
     */
    public Ready recover(List<ProtocolEvent> events) {
        Objects.requireNonNull(events, "events");
        Invariants.check(!started, "recover must come before any step");
        started = true;
        context.out = new ReadyBuilder();
        try {
            recovery.replay(events);
            context.restoringSnapshot = recovery.restoring();
            afterStep();
            checkInvariants();
            return context.out.build();
        } finally {
            context.out = null;
        }
    }

    /**
     * The shortest list of events that rebuilds this replica as it is now: the state at the stable checkpoint,
     * then the view, log, certificates and checkpoints above it. A shell saves it as its snapshot when a
     * checkpoint becomes stable and may then delete the journal written before.
     */
    public List<ProtocolEvent> compactedHistory() {
        return recovery.compactedHistory();
    }

    public Ready tick() {
        return step(new Input.Tick());
    }

    public ReplicaStatus status() {
        return new ReplicaStatus(context.replicaId, context.view, context.primary(), context.lastExecutedSequence(),
                context.lowWatermark(), context.highWatermark(), context.checkpoints.stableDigest(),
                context.pendingRequests.size(), context.dropCounts);
    }

    public int replicaId() {
        return context.replicaId;
    }

    public Membership membership() {
        return context.membership;
    }

    /** The application snapshot this replica kept for its checkpoint at {@code sequence}, if it still has it. */
    public java.util.Optional<io.concordat.common.Bytes> checkpointSnapshot(long sequence) {
        return stateTransfer.applicationSnapshot(sequence);
    }

    /** Whether a state transfer is under way. */
    public boolean fetchingState() {
        return stateTransfer.active();
    }

    /** Whether the replica is in normal operation (false while it waits for a NEW-VIEW). */
    public boolean viewActive() {
        return context.viewActive;
    }

    private void dispatch(Input input) {
        if (input instanceof Input.Receive receive) {
            onReceive(receive.envelope());
        } else if (input instanceof Input.Executed executed) {
            execution.onExecuted(executed);
            viewChange.progressed();
        } else if (input instanceof Input.SnapshotRestored restored) {
            if (context.restoringSnapshot) {
                recovery.onSnapshotRestored(restored);
                context.restoringSnapshot = false;
            } else {
                stateTransfer.onSnapshotRestored(restored);
            }
        } else if (input instanceof Input.SnapshotRejected rejected) {
            if (context.restoringSnapshot) {
                recovery.onSnapshotRejected(rejected);
            } else {
                stateTransfer.onSnapshotRejected(rejected);
            }
        } else if (input instanceof Input.ReadOnlyExecuted readOnly) {
            intake.onReadOnlyExecuted(readOnly);
        } else if (input instanceof Input.Tick) {
            onTick();
        } else if (input instanceof Input.PeerReachability reachability) {
            if (!reachability.reachable()) {
                viewChange.onPeerUnreachable(reachability.replicaId());
            }
        } else {
            throw new IllegalArgumentException("unknown input " + input.getClass().getName());
        }
    }

    @SuppressWarnings("unchecked")
    private void onReceive(Envelope envelope) {
        if (envelope instanceof Envelope.PrePrepareEnvelope prePrepare) {
            if (earlierViewCommits.wanted(prePrepare.prePrepare().body().view())) {
                earlierViewCommits.onPrePrepare(prePrepare.prePrepare(), prePrepare.batch());
            } else {
                normalCase.onPrePrepare(prePrepare.prePrepare(), prePrepare.batch());
            }
            return;
        }
        Signed<? extends Signable> message = ((Envelope.MessageEnvelope) envelope).message();
        if (message.body() instanceof ClientRequest) {
            intake.onRequest((Signed<ClientRequest>) message);
            return;
        }
        ReplicaMessage body = (ReplicaMessage) message.body();
        if (!context.membership.isMember(body.replicaId())) {
            context.drop(message, Rejection.of(DropReason.UNKNOWN_SENDER, "replica %d is not one of the %d members",
                    body.replicaId(), context.membership.size()));
        } else if (body instanceof Prepare) {
            normalCase.onPrepare((Signed<Prepare>) message);
        } else if (body instanceof Commit commit && earlierViewCommits.wanted(commit.view())) {
            earlierViewCommits.onCommit((Signed<Commit>) message);
        } else if (body instanceof Commit) {
            normalCase.onCommit((Signed<Commit>) message);
        } else if (body instanceof Checkpoint) {
            checkpointProtocol.onCheckpoint((Signed<Checkpoint>) message);
        } else if (body instanceof Status) {
            status.onStatus((Signed<Status>) message);
        } else if (body instanceof ViewChange) {
            viewChange.onViewChange((Signed<ViewChange>) message);
        } else if (body instanceof NewView) {
            viewChange.onNewView((Signed<NewView>) message);
        } else if (body instanceof StateRequest) {
            stateTransfer.onStateRequest((Signed<StateRequest>) message);
        } else if (body instanceof StateChunk) {
            stateTransfer.onStateChunk((Signed<StateChunk>) message);
        } else {
            context.drop(message, Rejection.of(DropReason.UNEXPECTED, "replicas do not accept %s messages",
                    body.getClass().getSimpleName()));
        }
    }

    private void onTick() {
        context.timers.advance();
        if (context.timers.expired(TimerChange.Timer.BATCH)) {
            context.timers.stop(context.out, TimerChange.Timer.BATCH);
            normalCase.proposeBatches(true);
        }
        status.onTick();
        viewChange.onTick();
        stateTransfer.onTick();
    }

    private void afterStep() {
        if (context.log.highestSequence().orElse(0L) <= context.highWatermark()) {
            context.replayedBeyondWindow = false;
        }
        execution.startIfReady();
        normalCase.proposeBatches(false);
        viewChange.afterStep();
        status.afterStep();
    }

    private void checkInvariants() {
        long lastExecuted = context.lastExecutedSequence();
        Invariants.check(context.lowWatermark() <= lastExecuted, "low watermark %d is above the last executed %d",
                context.lowWatermark(), lastExecuted);
        Invariants.check(lastExecuted <= context.highWatermark(), "last executed %d is above the high watermark %d",
                lastExecuted, context.highWatermark());
        Invariants.check(context.log.lowestSequence().orElse(Long.MAX_VALUE) > context.lowWatermark(),
                "the log holds sequence %s at or below the low watermark %d", context.log.lowestSequence(),
                context.lowWatermark());
        Invariants.check(context.replayedBeyondWindow
                        || context.log.highestSequence().orElse(0L) <= context.highWatermark(),
                "the log holds sequence %s above the high watermark %d", context.log.highestSequence(),
                context.highWatermark());
        Invariants.check(!context.isPrimary() || !context.viewActive || context.lastAssignedSequence >= lastExecuted,
                "the primary executed %d beyond its last assigned %d", lastExecuted, context.lastAssignedSequence);
        Invariants.check(context.pendingRequests.size() <= context.configuration.pendingRequestsMax(),
                "%d pending requests exceed %d", context.pendingRequests.size(),
                context.configuration.pendingRequestsMax());
        Invariants.check(context.viewActive || !context.timers.isArmed(TimerChange.Timer.REQUEST),
                "the request timer runs during a view change to %d", context.view);
    }
}
