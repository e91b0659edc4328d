package io.concordat.replica;

import io.concordat.app.StateMachine;
import io.concordat.common.Bytes;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;
import io.concordat.membership.MembershipHint;
import io.concordat.protocol.ExecutionDriver;
import io.concordat.protocol.Input;
import io.concordat.protocol.Invariants;
import io.concordat.protocol.Membership;
import io.concordat.protocol.PbftReplica;
import io.concordat.protocol.ProtocolConfiguration;
import io.concordat.protocol.Ready;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.wire.ProtobufCodec;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One PBFT replica as a Pekko Typed actor whose events go to a {@link Journal} (in memory by default, so a
 * crash loses the replica's state; {@link DurableReplicaActor} is the event-sourced variant). It hosts the
 * pure core ({@link PbftReplica}) with its application ({@link ExecutionDriver}), turns a timer into
 * {@link Input.Tick}s, decodes what arrives, and carries out each {@link Ready} in the core's order:
 * persist, then send, execute and publish.
 *
 * <p>Everything from the network is untrusted. A message that does not decode is counted and logged at
 * debug; a client's is answered with a {@link ClientResponse.Rejected} that says why. The core checks
 * senders and signatures and reports what it ignores, which is logged and counted the same way.
 */
public final class ReplicaActor extends AbstractBehavior<ReplicaActor.Command> {

    /** Everything the replica actor accepts. */
    public sealed interface Command {}

    /** A protocol envelope from another replica, as wire bytes. It is the only command that crosses JVMs. */
    public record PeerMessage(Bytes envelope) implements Command, CrossNodeMessage {
        public PeerMessage {
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /** A client's signed request envelope from the local client endpoint; the answer goes to {@code replyTo}. */
    public record ClientSubmit(Bytes envelope, ActorRef<ClientResponse> replyTo) implements Command {
        public ClientSubmit {
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    public record GetStatus(ActorRef<ReplicaStatus> replyTo) implements Command {
        public GetStatus {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** Asks for the last executed sequence number and the application's state digest, read together. */
    public record GetExecutedState(ActorRef<ExecutedState> replyTo) implements Command {
        public GetExecutedState {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /** A Pekko Cluster membership change: a hint, never proof (see {@link MembershipHint}). */
    public record MembershipChanged(MembershipHint hint) implements Command {
        public MembershipChanged {
            Objects.requireNonNull(hint, "hint");
        }
    }

    enum Timer implements Command {
        TICK
    }

    /**
     * Sent by the durable replica to itself: write the steps gathered since the last write ({@link GroupCommit}).
     * It sits behind the commands already queued, so those join the group first.
     */
    enum WriteGroup implements Command {
        INSTANCE
    }

    /** How the actor reaches the other replicas: their resolved actors, or else sharding, in a real node. */
    @FunctionalInterface
    interface Peers {
        void send(int replicaId, Command message);
    }

    /** Everything one replica actor is built from. */
    record Wiring(int replicaId, Membership membership, ProtocolConfiguration protocol, Signer signer,
            SignatureVerifier verifier, ProtobufCodec codec, Supplier<? extends StateMachine> stateMachineFactory,
            ReplicaSettings settings, Peers peers, RetainedLog orderedLog, ReplicaMetrics metrics,
            LongSupplier nanoClock) {
        Wiring {
            Objects.requireNonNull(membership, "membership");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(verifier, "verifier");
            Objects.requireNonNull(codec, "codec");
            Objects.requireNonNull(stateMachineFactory, "stateMachineFactory");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(peers, "peers");
            Objects.requireNonNull(orderedLog, "orderedLog");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(nanoClock, "nanoClock");
        }

        /** A fresh core for this replica, driving a fresh application. */
        ExecutionDriver newDriver() {
            return new ExecutionDriver(new PbftReplica(replicaId, membership, protocol, signer, verifier, codec),
                    stateMachineFactory.get());
        }
    }

    private final ReplicaShell shell;
    private final Journal journal;
    private final TimerScheduler<Command> timers;

    static Behavior<Command> create(Wiring wiring, Journal journal) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            // Fixed delay, not fixed rate: on a loaded machine late ticks must not arrive in a burst.
            timers.startTimerWithFixedDelay(Timer.TICK, Timer.TICK, wiring.settings().tickInterval());
            return new ReplicaActor(context, timers, wiring, journal);
        }));
    }

    private ReplicaActor(ActorContext<Command> context, TimerScheduler<Command> timers, Wiring wiring,
            Journal journal) {
        super(context);
        this.shell = new ReplicaShell(wiring, wiring.newDriver(), context.getLog());
        this.journal = Objects.requireNonNull(journal, "journal");
        this.timers = timers;
        logStarted(context, wiring);
    }

    static void logStarted(ActorContext<?> context, Wiring wiring) {
        Membership membership = wiring.membership();
        context.getLog().atInfo().addKeyValue("replica", wiring.replicaId()).addKeyValue("replicas", membership.size())
                .log("replica {} started (n = {}, f = {})", wiring.replicaId(), membership.size(),
                        membership.faultsTolerated());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(PeerMessage.class, this::onPeerMessage)
                .onMessage(ClientSubmit.class, this::onClientSubmit)
                .onMessage(GetStatus.class, this::onGetStatus)
                .onMessage(GetExecutedState.class, this::onGetExecutedState)
                .onMessage(MembershipChanged.class, this::onMembershipChanged)
                .onMessageEquals(Timer.TICK, this::onTick)
                .onSignal(PostStop.class, this::onPostStop)
                .build();
    }

    private Behavior<Command> onPeerMessage(PeerMessage message) {
        return shell.decodePeer(message).map(input -> step(input, Optional.empty())).orElse(this);
    }

    private Behavior<Command> onClientSubmit(ClientSubmit submit) {
        return shell.decodeClient(submit).map(submission -> step(submission.input(), Optional.of(submission)))
                .orElse(this);
    }

    private Behavior<Command> onTick() {
        shell.onTick();
        return step(new Input.Tick(), Optional.empty());
    }

    private Behavior<Command> onGetStatus(GetStatus query) {
        query.replyTo().tell(shell.driver().replica().status());
        return this;
    }

    private Behavior<Command> onGetExecutedState(GetExecutedState query) {
        query.replyTo().tell(shell.executedState());
        return this;
    }

    private Behavior<Command> onMembershipChanged(MembershipChanged changed) {
        return shell.onMembershipChanged(changed).map(input -> step(input, Optional.empty())).orElse(this);
    }

    private Behavior<Command> onPostStop(PostStop signal) {
        shell.orderedLog().close();
        return this;
    }

    /** Steps the core and carries out the result in the core's order: persist first, then send (PBFT §4.2). */
    private Behavior<Command> step(Input input, Optional<ReplicaShell.Submission> submission) {
        Ready ready;
        try {
            ready = shell.step(input, submission);
        } catch (Invariants.InvariantViolation violation) {
            shell.halt(violation);
            timers.cancelAll();
            return halted("replica " + shell.driver().replica().replicaId()
                    + " stopped after an internal error; restart the node");
        }
        journal.append(ready.persist());
        shell.afterDurable(ready);
        return this;
    }

    /** A replica that serves nothing: clients are told {@code detail}, everything else is ignored. */
    static Behavior<Command> halted(String detail) {
        return Behaviors.receive(Command.class)
                .onMessage(ClientSubmit.class, submit -> {
                    submit.replyTo().tell(new ClientResponse.Rejected(RejectionReason.REPLICA_HALTED, detail));
                    return Behaviors.same();
                })
                .onAnyMessage(ignored -> Behaviors.same())
                .build();
    }
}
