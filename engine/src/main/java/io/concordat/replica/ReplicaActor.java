package io.concordat.replica;

import io.concordat.app.StateMachine;
import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;
import io.concordat.membership.MembershipHint;
import io.concordat.protocol.CheckpointNotice;
import io.concordat.protocol.Destination;
import io.concordat.protocol.DropReason;
import io.concordat.protocol.Dropped;
import io.concordat.protocol.Execution;
import io.concordat.protocol.ExecutionDriver;
import io.concordat.protocol.Input;
import io.concordat.protocol.Invariants;
import io.concordat.protocol.Membership;
import io.concordat.protocol.Outbound;
import io.concordat.protocol.PbftReplica;
import io.concordat.protocol.ProtocolConfiguration;
import io.concordat.protocol.Ready;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.wire.DecodeError;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One PBFT replica as a Pekko Typed actor: it hosts the pure core ({@link PbftReplica}) with its
 * application ({@link ExecutionDriver}), turns a timer into {@link Input.Tick}s, decodes what arrives,
 * and carries out each {@link Ready} in the core's order: persist, then send, execute and publish.
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

    private enum Timer implements Command {
        TICK
    }

    /** How the actor reaches the other replicas: through sharding {@code EntityRef}s in a real node. */
    @FunctionalInterface
    interface Peers {
        void send(int replicaId, Command message);
    }

    /** Everything one replica actor is built from. */
    record Wiring(int replicaId, Membership membership, ProtocolConfiguration protocol, Signer signer,
            SignatureVerifier verifier, ProtobufCodec codec, StateMachine stateMachine, ReplicaSettings settings,
            Peers peers, Journal journal, RetainedLog orderedLog, ReplicaMetrics metrics, LongSupplier nanoClock) {
        Wiring {
            Objects.requireNonNull(membership, "membership");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(signer, "signer");
            Objects.requireNonNull(verifier, "verifier");
            Objects.requireNonNull(codec, "codec");
            Objects.requireNonNull(stateMachine, "stateMachine");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(peers, "peers");
            Objects.requireNonNull(journal, "journal");
            Objects.requireNonNull(orderedLog, "orderedLog");
            Objects.requireNonNull(metrics, "metrics");
            Objects.requireNonNull(nanoClock, "nanoClock");
        }
    }

    /** A client submission being stepped, with the request it decoded to. */
    private record Submission(ClientSubmit submit, ClientRequest request) {}

    /** Client routes are swept for expiry once per this many ticks. */
    private static final int ROUTE_SWEEP_TICKS = 100;

    private final int replicaId;
    private final Membership membership;
    private final ExecutionDriver driver;
    private final ProtobufCodec codec;
    private final Peers peers;
    private final Journal journal;
    private final ClientRoutes clientRoutes;
    private final CommittedEntryAssembler entries;
    private final RetainedLog orderedLog;
    private final ReplicaMetrics metrics;
    private final ReplicaSettings settings;
    private final LongSupplier nanoClock;
    private final TimerScheduler<Command> timers;
    private long ticks;

    static Behavior<Command> create(Wiring wiring) {
        return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
            // Fixed delay, not fixed rate: on a loaded machine late ticks must not arrive in a burst.
            timers.startTimerWithFixedDelay(Timer.TICK, Timer.TICK, wiring.settings().tickInterval());
            return new ReplicaActor(context, timers, wiring);
        }));
    }

    private ReplicaActor(ActorContext<Command> context, TimerScheduler<Command> timers, Wiring wiring) {
        super(context);
        this.replicaId = wiring.replicaId();
        this.membership = wiring.membership();
        this.driver = new ExecutionDriver(new PbftReplica(wiring.replicaId(), wiring.membership(), wiring.protocol(),
                wiring.signer(), wiring.verifier(), wiring.codec()), wiring.stateMachine());
        this.codec = wiring.codec();
        this.peers = wiring.peers();
        this.metrics = wiring.metrics();
        this.journal = wiring.journal();
        this.settings = wiring.settings();
        this.nanoClock = wiring.nanoClock();
        this.clientRoutes = new ClientRoutes(settings.clientRoutesMax(), settings.clientRoutesPerClient(),
                settings.clientRouteExpiry().toNanos());
        this.entries = new CommittedEntryAssembler(membership);
        this.orderedLog = wiring.orderedLog();
        this.timers = timers;
        context.getLog().atInfo().addKeyValue("replica", replicaId).addKeyValue("replicas", membership.size())
                .log("replica {} started (n = {}, f = {})", replicaId, membership.size(),
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

    // ---------------------------------------------------------------- inputs

    private Behavior<Command> onPeerMessage(PeerMessage message) {
        DecodeResult decoded = codec.decodeEnvelope(message.envelope());
        if (decoded instanceof DecodeResult.Rejected rejected) {
            countDecodeRejection("peer", rejected);
            return this;
        }
        Envelope envelope = ((DecodeResult.Decoded) decoded).envelope();
        return step(new Input.Receive(envelope), Optional.empty());
    }

    private Behavior<Command> onClientSubmit(ClientSubmit submit) {
        DecodeResult decoded = codec.decodeEnvelope(submit.envelope());
        if (decoded instanceof DecodeResult.Rejected rejected) {
            countDecodeRejection("client", rejected);
            RejectionReason reason = rejected.error() == DecodeError.OVERSIZED
                    ? RejectionReason.OVERSIZED
                    : RejectionReason.MALFORMED;
            return reject(submit, reason, describe(rejected.error()) + ": " + rejected.detail());
        }
        Envelope envelope = ((DecodeResult.Decoded) decoded).envelope();
        if (!(envelope instanceof Envelope.MessageEnvelope single
                && single.message().body() instanceof ClientRequest)) {
            return reject(submit, RejectionReason.NOT_A_CLIENT_REQUEST,
                    "a client submits ClientRequest envelopes, got " + kindOf(envelope));
        }
        var request = (ClientRequest) single.message().body();
        return step(new Input.Receive(envelope), Optional.of(new Submission(submit, request)));
    }

    private Behavior<Command> onTick() {
        ticks++;
        if (ticks % ROUTE_SWEEP_TICKS == 0) {
            int expired = clientRoutes.expire(nanoClock.getAsLong());
            if (expired > 0) {
                metrics.add("client.routes.expired", expired);
            }
        }
        return step(new Input.Tick(), Optional.empty());
    }

    private Behavior<Command> onGetStatus(GetStatus query) {
        query.replyTo().tell(driver.replica().status());
        return this;
    }

    private Behavior<Command> onGetExecutedState(GetExecutedState query) {
        query.replyTo().tell(new ExecutedState(driver.replica().status().lastExecutedSequence(),
                driver.stateMachine().stateDigest()));
        return this;
    }

    private Behavior<Command> onMembershipChanged(MembershipChanged changed) {
        MembershipHint hint = changed.hint();
        metrics.increment("membership.hint." + hint.kind());
        long view = driver.replica().status().view();
        boolean aboutPrimary = hint.replicaId().filter(id -> id == membership.primaryOf(view)).isPresent();
        getContext().getLog().atInfo().addKeyValue("replica", replicaId).addKeyValue("view", view)
                .addKeyValue("hint", hint.kind()).addKeyValue("about", hint.replicaId().map(String::valueOf)
                        .orElse("unknown"))
                .log("membership hint: node {} (replica {}) is {}{}", hint.node(),
                        hint.replicaId().map(String::valueOf).orElse("?"), hint.kind(),
                        aboutPrimary ? ", and it hosts the primary" : "");
        if (hint.replicaId().isEmpty() || hint.replicaId().get() == replicaId) {
            return this;
        }
        // Only a hint for the core: an unreachable primary may be suspected sooner, never convicted.
        boolean reachable = hint.kind() == MembershipHint.Kind.UP || hint.kind() == MembershipHint.Kind.REACHABLE;
        return step(new Input.PeerReachability(hint.replicaId().get(), reachable), Optional.empty());
    }

    private Behavior<Command> onPostStop(PostStop signal) {
        orderedLog.close();
        return this;
    }

    // ---------------------------------------------------------------- one step of the core

    /**
     * Steps the core and carries out the result. For a client submission, a request the core refused is
     * answered with the reason, and an accepted one is remembered so that its reply finds the client.
     */
    private Behavior<Command> step(Input input, Optional<Submission> submission) {
        Ready ready;
        try {
            ready = driver.step(input);
        } catch (Invariants.InvariantViolation violation) {
            submission.ifPresent(client -> client.submit().replyTo().tell(new ClientResponse.Rejected(
                    RejectionReason.REPLICA_HALTED, violation.getMessage())));
            return halt(violation);
        }
        submission.ifPresent(client -> answerOrRoute(client, ready));
        carryOut(ready);
        return this;
    }

    private void answerOrRoute(Submission submission, Ready ready) {
        Optional<Dropped> refusal = ready.dropped().stream()
                .filter(dropped -> dropped.messageType().equals(ClientRequest.class.getSimpleName()))
                .filter(dropped -> dropped.reason() != DropReason.DUPLICATE)
                .findFirst();
        if (refusal.isPresent()) {
            reject(submission.submit(), rejectionFor(refusal.get().reason()), refusal.get().detail());
            return;
        }
        // Registered only once the core accepted the signature, so nobody can redirect a client's replies
        // by submitting garbage in its name. A duplicate is routed too: its reply is on the way.
        ClientRequest request = submission.request();
        clientRoutes.register(request.clientId(), request.requestNumber(), submission.submit().replyTo(),
                nanoClock.getAsLong());
    }

    /** Carries out a {@link Ready} in the core's order: persist first, and only then send (PBFT §4.2). */
    private void carryOut(Ready ready) {
        journal.append(ready.persist());
        for (Outbound outbound : ready.send()) {
            send(outbound);
        }
        for (Execution execution : ready.execute()) {
            if (execution instanceof Execution.ExecuteBatch batch) {
                orderedLog.append(entries.assemble(batch));
            } else if (execution instanceof Execution.RestoreSnapshot restore) {
                // State transfer skipped the batches up to here: readers must not silently step over them.
                orderedLog.discardThrough(restore.sequence());
            }
        }
        for (CheckpointNotice notice : ready.checkpoints()) {
            if (notice instanceof CheckpointNotice.Stable stable) {
                orderedLog.discardThrough(stable.sequence() - settings.orderedLogRetainedBeyondCheckpoint());
            }
        }
        for (Dropped dropped : ready.dropped()) {
            logDrop(dropped);
        }
        // Ready.timers() is not needed: the shell ticks at a fixed interval whether or not a timer is armed.
    }

    private void send(Outbound outbound) {
        Bytes bytes = codec.encodeEnvelope(outbound.envelope());
        Destination destination = outbound.destination();
        if (destination instanceof Destination.AllReplicas) {
            var message = new PeerMessage(bytes);
            for (int peer = 0; peer < membership.size(); peer++) {
                if (peer != replicaId) {
                    peers.send(peer, message);
                }
            }
        } else if (destination instanceof Destination.Replica replica) {
            peers.send(replica.replicaId(), new PeerMessage(bytes));
        } else {
            replyToClient(((Destination.Client) destination).clientId(), outbound.envelope(), bytes);
        }
    }

    private void replyToClient(PublicKey clientId, Envelope envelope, Bytes bytes) {
        if (!(envelope instanceof Envelope.MessageEnvelope single && single.message().body() instanceof Reply reply)) {
            getContext().getLog().warn("replica {}: the core addressed a {} to a client; not sent", replicaId,
                    kindOf(envelope));
            return;
        }
        var waiting = clientRoutes.takeWaiting(clientId, reply.requestNumber());
        if (waiting.isEmpty()) {
            metrics.increment("client.reply.unrouted");
            getContext().getLog().atDebug().addKeyValue("replica", replicaId).addKeyValue("client", clientId)
                    .addKeyValue("requestNumber", reply.requestNumber())
                    .log("no submission waits for the reply to request {} of client {}", reply.requestNumber(),
                            clientId);
            return;
        }
        var response = new ClientResponse.Replied(bytes);
        for (ActorRef<ClientResponse> replyTo : waiting) {
            replyTo.tell(response);
        }
    }

    // ---------------------------------------------------------------- refusals, drops, halting

    private Behavior<Command> reject(ClientSubmit submit, RejectionReason reason, String detail) {
        metrics.increment("client.rejected." + reason);
        submit.replyTo().tell(new ClientResponse.Rejected(reason, detail));
        return this;
    }

    private void countDecodeRejection(String source, DecodeResult.Rejected rejected) {
        metrics.increment("decode.rejected." + rejected.error());
        getContext().getLog().atDebug().addKeyValue("replica", replicaId).addKeyValue("source", source)
                .addKeyValue("error", rejected.error())
                .log("undecodable {} message dropped: {}: {}", source, rejected.error(), rejected.detail());
    }

    private void logDrop(Dropped dropped) {
        metrics.increment("dropped." + dropped.reason());
        var log = getContext().getLog();
        if (log.isDebugEnabled()) {
            log.atDebug().addKeyValue("replica", replicaId).addKeyValue("view", driver.replica().status().view())
                    .addKeyValue("messageType", dropped.messageType()).addKeyValue("sender", dropped.sender())
                    .addKeyValue("reason", dropped.reason())
                    .log("dropped {} from {}: {} ({})", dropped.messageType(), dropped.sender(), dropped.reason(),
                            dropped.detail());
        }
    }

    /**
     * A broken invariant is a bug, and a replica that continues from a broken state can harm safety for the
     * whole cluster, so it stops serving: clients are told, everything else is ignored until a restart.
     */
    private Behavior<Command> halt(Invariants.InvariantViolation violation) {
        getContext().getLog().error("replica {} halted after an invariant violation: {}", replicaId,
                violation.getMessage(), violation);
        metrics.increment("replica.halted");
        timers.cancelAll();
        orderedLog.close();
        return halted("replica " + replicaId + " stopped after an internal error; restart the node");
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

    private static RejectionReason rejectionFor(DropReason reason) {
        return switch (reason) {
            case BAD_SIGNATURE -> RejectionReason.BAD_SIGNATURE;
            case OVERSIZED -> RejectionReason.OVERSIZED;
            case STALE_REQUEST -> RejectionReason.STALE_REQUEST;
            case OVERLOADED -> RejectionReason.OVERLOADED;
            default -> RejectionReason.MALFORMED;
        };
    }

    private static String describe(DecodeError error) {
        return error.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    private static String kindOf(Envelope envelope) {
        if (envelope instanceof Envelope.PrePrepareEnvelope) {
            return "PrePrepare";
        }
        return ((Envelope.MessageEnvelope) envelope).message().body().getClass().getSimpleName();
    }
}
