package io.concordat.replica;

import io.concordat.persistence.ReplicaSnapshot;
import io.concordat.protocol.ExecutionDriver;
import io.concordat.protocol.Input;
import io.concordat.protocol.Invariants;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.Ready;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.RecoveryFailed;
import org.apache.pekko.persistence.typed.SnapshotAdapter;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.Effect;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * One PBFT replica as an event-sourced actor (Pekko Persistence Typed): what the core must never forget
 * survives a crash of this replica, or of all of them at once.
 *
 * <p>Each command steps the core once. Steps are written in groups ({@link GroupCommit}): the first step with
 * events asks the actor to write ({@link ReplicaActor.WriteGroup}, sent to itself), and every command queued
 * before that request is stepped and joins the group. The group's {@link Ready#persist()} events go to the
 * journal as one atomic write, and only once that write is durable does {@code thenRun} send the group's
 * messages and publish what it executed: the core's order rule, so a restarted replica never contradicts a
 * message it sent (PBFT §4.2). While a write is in flight Pekko holds commands back; they form the next
 * group. A step with nothing to persist, while no group waits, sends at once.
 *
 * <p>The event handler only records events, and only while recovering: a live core has already applied
 * the events it produced. On {@link RecoveryCompleted} the core is rebuilt from the recovered snapshot
 * (a compacted history) and the journal after it with {@link ExecutionDriver#recover}; what that recovery
 * asks to persist and send is carried out with the first command that follows.
 *
 * <p>Snapshots are the core's compacted history ({@link io.concordat.protocol.PbftReplica#compactedHistory()}),
 * saved when a checkpoint becomes stable, right after a state transfer, and every
 * {@code snapshot-every-events} events; the journal before the older of the last two count-based snapshots
 * is deleted. Damaged stored data stops recovery with a message that says how to recover; the replica
 * never starts with partial state.
 *
 * <p>The ordered log stays open when the actor stops: a replica restarted in the same node (after a journal
 * failure) recovers at least up to the log's last entry and continues it. The node closes it.
 */
final class DurableReplicaActor extends EventSourcedBehavior<ReplicaActor.Command, ProtocolEvent,
        DurableReplicaActor.State> {

    /** Persistence ids are {@code concordat-replica-<id>}: one journal stream per replica. */
    static PersistenceId persistenceIdOf(int replicaId) {
        return PersistenceId.ofUniqueId("concordat-replica-" + replicaId);
    }

    /**
     * The actor's state: while recovering, the events read so far; afterwards the live core. Mutable and
     * owned by the actor, as Pekko allows; the event handler returns the same instance.
     */
    static final class State {
        private final List<ProtocolEvent> recovered;
        private ReplicaShell shell;
        private Ready pendingAfterRecovery = Ready.EMPTY;
        private final GroupCommit unwritten = new GroupCommit();
        private boolean writeRequested;
        private Optional<String> halted = Optional.empty();

        State(List<ProtocolEvent> recovered) {
            this.recovered = new ArrayList<>(recovered);
        }

        boolean recovering() {
            return shell == null;
        }

        /** The core's status, once recovered; for tests. */
        Optional<io.concordat.protocol.ReplicaStatus> status() {
            return Optional.ofNullable(shell).map(live -> live.driver().replica().status());
        }

        Optional<String> halted() {
            return halted;
        }
    }

    private final ActorContext<ReplicaActor.Command> context;
    private final TimerScheduler<ReplicaActor.Command> timers;
    private final ReplicaActor.Wiring wiring;
    private final PersistenceSettings persistence;
    private final Optional<JournalAnchor> anchor;
    private boolean recoveryFailureReported;

    static Behavior<ReplicaActor.Command> create(ReplicaActor.Wiring wiring, Optional<JournalAnchor> anchor) {
        return create(wiring, persistenceIdOf(wiring.replicaId()), anchor);
    }

    static Behavior<ReplicaActor.Command> create(ReplicaActor.Wiring wiring, PersistenceId persistenceId) {
        return create(wiring, persistenceId, Optional.empty());
    }

    /**
     * @param anchor where the highest journal sequence number written is kept outside the journal, if this
     *     replica has a data directory; a journal found below it is refused ({@link JournalAnchor})
     */
    static Behavior<ReplicaActor.Command> create(ReplicaActor.Wiring wiring, PersistenceId persistenceId,
            Optional<JournalAnchor> anchor) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers ->
                new DurableReplicaActor(persistenceId, context, timers, wiring, anchor)));
    }

    private DurableReplicaActor(PersistenceId persistenceId, ActorContext<ReplicaActor.Command> context,
            TimerScheduler<ReplicaActor.Command> timers, ReplicaActor.Wiring wiring, Optional<JournalAnchor> anchor) {
        super(persistenceId);
        this.context = context;
        this.timers = timers;
        this.wiring = Objects.requireNonNull(wiring, "wiring");
        this.persistence = wiring.settings().persistence();
        this.anchor = Objects.requireNonNull(anchor, "anchor");
    }

    @Override
    public State emptyState() {
        return new State(List.of());
    }

    // ---------------------------------------------------------------- events, snapshots, recovery

    @Override
    public EventHandler<State, ProtocolEvent> eventHandler() {
        return (state, event) -> {
            if (state.recovering()) {
                state.recovered.add(event);
            }
            return state;
        };
    }

    @Override
    public boolean shouldSnapshot(State state, ProtocolEvent event, long sequenceNumber) {
        return event instanceof ProtocolEvent.CheckpointStabilized || event instanceof ProtocolEvent.StateTransferred;
    }

    @Override
    public RetentionCriteria retentionCriteria() {
        return RetentionCriteria.snapshotEvery(persistence.snapshotEveryEvents(), persistence.keepSnapshots())
                .withDeleteEventsOnSnapshot();
    }

    @Override
    public SnapshotAdapter<State> snapshotAdapter() {
        return new SnapshotAdapter<>() {
            @Override
            public Object toJournal(State state) {
                return new ReplicaSnapshot(state.shell.driver().replica().compactedHistory());
            }

            @Override
            public State fromJournal(Object from) {
                return new State(((ReplicaSnapshot) from).events());
            }
        };
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder()
                .onSignal(RecoveryCompleted.instance(), this::onRecoveryCompleted)
                .onSignal(RecoveryFailed.class, (state, failed) -> onRecoveryFailed(failed.getFailure()))
                .build();
    }

    /** Pekko could not read the journal or the snapshot; the actor stops and starts nothing from what it read. */
    private void onRecoveryFailed(Throwable failure) {
        // Pekko may signal one failure twice (wrapped again on its way out); the operator needs it once.
        if (recoveryFailureReported) {
            return;
        }
        recoveryFailureReported = true;
        wiring.metrics().increment("replica.recovery.failed");
        context.getLog().error("replica {} refuses to start: it cannot read its journal or snapshot: {}. If the "
                + "database is unreachable, make it reachable and restart the node; if the stored data is damaged, "
                + "wipe this replica's data and let state transfer rebuild it from the other replicas.",
                wiring.replicaId(), causes(failure));
    }

    /** Every distinct message along the cause chain: the root cause is what the operator needs. */
    private static String causes(Throwable failure) {
        var messages = new java.util.LinkedHashSet<String>();
        for (Throwable cause = failure; cause != null && messages.size() < 8; cause = cause.getCause()) {
            messages.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
        }
        return String.join(" <- ", messages);
    }

    private void onRecoveryCompleted(State state) {
        long journalHighest = lastSequenceNumber(context);
        Optional<String> cutShort = anchor.flatMap(written -> written.checkJournal(journalHighest));
        if (cutShort.isPresent()) {
            refuseToStart(state, "replica " + wiring.replicaId() + " refuses to start: " + cutShort.get(),
                    Optional.empty());
            return;
        }
        ExecutionDriver driver = wiring.newDriver();
        try {
            state.pendingAfterRecovery = driver.recover(List.copyOf(state.recovered));
        } catch (RuntimeException damaged) {
            refuseToStart(state, "replica " + wiring.replicaId() + " refuses to start: its recorded state cannot be "
                    + "recovered: " + damaged.getMessage(), Optional.of(damaged));
            return;
        }
        anchor.ifPresent(written -> written.advance(journalHighest));
        state.shell = new ReplicaShell(wiring, driver, context.getLog());
        context.getLog().atInfo().addKeyValue("replica", wiring.replicaId())
                .addKeyValue("events", state.recovered.size())
                .log("replica {} recovered from {} events: {}", wiring.replicaId(), state.recovered.size(),
                        driver.replica().status());
        state.recovered.clear();
        ReplicaActor.logStarted(context, wiring);
        // Fixed delay, not fixed rate: on a loaded machine late ticks must not arrive in a burst.
        timers.startTimerWithFixedDelay(ReplicaActor.Timer.TICK, ReplicaActor.Timer.TICK,
                wiring.settings().tickInterval());
    }

    private void refuseToStart(State state, String detail, Optional<RuntimeException> cause) {
        if (cause.isPresent()) {
            context.getLog().error(detail, cause.get());
        } else {
            context.getLog().error(detail);
        }
        wiring.metrics().increment("replica.recovery.failed");
        state.recovered.clear();
        state.halted = Optional.of(detail);
    }

    // ---------------------------------------------------------------- commands

    @Override
    public CommandHandler<ReplicaActor.Command, ProtocolEvent, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(ReplicaActor.PeerMessage.class, this::onPeerMessage)
                .onCommand(ReplicaActor.ClientSubmit.class, this::onClientSubmit)
                .onCommand(ReplicaActor.GetStatus.class, this::onGetStatus)
                .onCommand(ReplicaActor.GetExecutedState.class, this::onGetExecutedState)
                .onCommand(ReplicaActor.MembershipChanged.class, this::onMembershipChanged)
                .onCommand(ReplicaActor.Timer.class, this::onTick)
                .onCommand(ReplicaActor.WriteGroup.class, this::onWriteGroup)
                .build();
    }

    private Effect<ProtocolEvent, State> onPeerMessage(State state, ReplicaActor.PeerMessage message) {
        if (state.halted.isPresent()) {
            return Effect().none();
        }
        return state.shell.decodePeer(message).map(input -> step(state, input, Optional.empty()))
                .orElseGet(() -> Effect().none());
    }

    private Effect<ProtocolEvent, State> onClientSubmit(State state, ReplicaActor.ClientSubmit submit) {
        if (state.halted.isPresent()) {
            submit.replyTo().tell(new ClientResponse.Rejected(RejectionReason.REPLICA_HALTED, state.halted.get()));
            return Effect().none();
        }
        return state.shell.decodeClient(submit)
                .map(submission -> step(state, submission.input(), Optional.of(submission)))
                .orElseGet(() -> Effect().none());
    }

    private Effect<ProtocolEvent, State> onTick(State state, ReplicaActor.Timer tick) {
        if (state.halted.isPresent()) {
            return Effect().none();
        }
        state.shell.onTick();
        return step(state, new Input.Tick(), Optional.empty());
    }

    private Effect<ProtocolEvent, State> onGetStatus(State state, ReplicaActor.GetStatus query) {
        if (state.halted.isEmpty()) {
            query.replyTo().tell(state.shell.driver().replica().status());
        }
        return Effect().none();
    }

    private Effect<ProtocolEvent, State> onGetExecutedState(State state, ReplicaActor.GetExecutedState query) {
        if (state.halted.isEmpty()) {
            query.replyTo().tell(state.shell.executedState());
        }
        return Effect().none();
    }

    private Effect<ProtocolEvent, State> onMembershipChanged(State state, ReplicaActor.MembershipChanged changed) {
        if (state.halted.isPresent()) {
            return Effect().none();
        }
        return state.shell.onMembershipChanged(changed).map(input -> step(state, input, Optional.empty()))
                .orElseGet(() -> Effect().none());
    }

    /**
     * Steps the core once. A step with events joins the group waiting to be written, and the first one asks
     * for the write; what the recovery asked for goes first, in the same group.
     */
    private Effect<ProtocolEvent, State> step(State state, Input input, Optional<ReplicaShell.Submission> submission) {
        ReplicaShell shell = state.shell;
        Ready ready;
        try {
            ready = state.pendingAfterRecovery.then(shell.step(input, submission));
        } catch (Invariants.InvariantViolation violation) {
            shell.halt(violation);
            timers.cancelAll();
            // The group's messages never leave: forgetting its steps contradicts nothing.
            state.unwritten.clear();
            state.halted = Optional.of("replica " + wiring.replicaId()
                    + " stopped after an internal error; restart the node");
            return Effect().none();
        }
        state.pendingAfterRecovery = Ready.EMPTY;
        if (ready.persist().isEmpty() && state.unwritten.isEmpty()) {
            shell.afterDurable(ready);
            return Effect().none();
        }
        state.unwritten.add(ready);
        if (state.unwritten.full()) {
            return write(state);
        }
        if (!state.writeRequested) {
            state.writeRequested = true;
            context.getSelf().tell(ReplicaActor.WriteGroup.INSTANCE);
        }
        return Effect().none();
    }

    private Effect<ProtocolEvent, State> onWriteGroup(State state, ReplicaActor.WriteGroup request) {
        state.writeRequested = false;
        if (state.halted.isPresent() || state.unwritten.isEmpty()) {
            return Effect().none();
        }
        return write(state);
    }

    /** Writes the waiting group as one atomic write; its messages leave once it is durable (PBFT §4.2). */
    private Effect<ProtocolEvent, State> write(State state) {
        ReplicaShell shell = state.shell;
        int steps = state.unwritten.steps();
        Ready group = state.unwritten.take();
        if (group.persist().isEmpty()) {
            shell.afterDurable(group);
            return Effect().none();
        }
        return Effect().persist(group.persist()).thenRun(persisted -> {
            anchor.ifPresent(written -> written.advance(lastSequenceNumber(context)));
            shell.countJournalWrite(group.persist().size(), steps);
            shell.afterDurable(group);
        });
    }
}
