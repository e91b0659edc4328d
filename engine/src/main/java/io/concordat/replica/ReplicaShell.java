package io.concordat.replica;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
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
import io.concordat.protocol.Ready;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.wire.DecodeError;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;

/**
 * What both replica actors ({@link ReplicaActor} in memory, {@link DurableReplicaActor} event-sourced) do
 * around the core, apart from making events durable: decoding what arrives, stepping the core, and once a
 * step's events are durable, sending, publishing executed batches and logging drops. Not thread-safe: it
 * belongs to one actor.
 */
final class ReplicaShell {

    /** A client submission being stepped, with the request it decoded to. */
    record Submission(ReplicaActor.ClientSubmit submit, ClientRequest request, Envelope envelope) {
        Input input() {
            return new Input.Receive(envelope);
        }
    }

    /** Client routes are swept for expiry once per this many ticks. */
    private static final int ROUTE_SWEEP_TICKS = 100;

    private final int replicaId;
    private final Membership membership;
    private final ExecutionDriver driver;
    private final ProtobufCodec codec;
    private final ReplicaActor.Peers peers;
    private final ClientRoutes clientRoutes;
    private final CommittedEntryAssembler entries;
    private final RetainedLog orderedLog;
    private final ReplicaMetrics metrics;
    private final ReplicaSettings settings;
    private final LongSupplier nanoClock;
    private final Logger log;
    private long ticks;

    ReplicaShell(ReplicaActor.Wiring wiring, ExecutionDriver driver, Logger log) {
        this.replicaId = wiring.replicaId();
        this.membership = wiring.membership();
        this.driver = driver;
        this.codec = wiring.codec();
        this.peers = wiring.peers();
        this.metrics = wiring.metrics();
        this.settings = wiring.settings();
        this.nanoClock = wiring.nanoClock();
        this.clientRoutes = new ClientRoutes(settings.clientRoutesMax(), settings.clientRoutesPerClient(),
                settings.clientRouteExpiry().toNanos());
        this.entries = new CommittedEntryAssembler(membership);
        this.orderedLog = wiring.orderedLog();
        this.log = log;
    }

    ExecutionDriver driver() {
        return driver;
    }

    ReplicaMetrics metrics() {
        return metrics;
    }

    RetainedLog orderedLog() {
        return orderedLog;
    }

    // ---------------------------------------------------------------- inputs

    Optional<Input> decodePeer(ReplicaActor.PeerMessage message) {
        DecodeResult decoded = codec.decodeEnvelope(message.envelope());
        if (decoded instanceof DecodeResult.Rejected rejected) {
            countDecodeRejection("peer", rejected);
            return Optional.empty();
        }
        return Optional.of(new Input.Receive(((DecodeResult.Decoded) decoded).envelope()));
    }

    /** The submission to step, or empty once the client was told why its envelope is refused. */
    Optional<Submission> decodeClient(ReplicaActor.ClientSubmit submit) {
        DecodeResult decoded = codec.decodeEnvelope(submit.envelope());
        if (decoded instanceof DecodeResult.Rejected rejected) {
            countDecodeRejection("client", rejected);
            RejectionReason reason = rejected.error() == DecodeError.OVERSIZED
                    ? RejectionReason.OVERSIZED
                    : RejectionReason.MALFORMED;
            reject(submit, reason, describe(rejected.error()) + ": " + rejected.detail());
            return Optional.empty();
        }
        Envelope envelope = ((DecodeResult.Decoded) decoded).envelope();
        if (!(envelope instanceof Envelope.MessageEnvelope single
                && single.message().body() instanceof ClientRequest)) {
            reject(submit, RejectionReason.NOT_A_CLIENT_REQUEST,
                    "a client submits ClientRequest envelopes, got " + kindOf(envelope));
            return Optional.empty();
        }
        return Optional.of(new Submission(submit, (ClientRequest) single.message().body(), envelope));
    }

    /** Housekeeping done on every tick: forgetting client routes that waited too long. */
    void onTick() {
        ticks++;
        if (ticks % ROUTE_SWEEP_TICKS == 0) {
            int expired = clientRoutes.expire(nanoClock.getAsLong());
            if (expired > 0) {
                metrics.add("client.routes.expired", expired);
            }
        }
    }

    ExecutedState executedState() {
        return new ExecutedState(driver.replica().status().lastExecutedSequence(), driver.stateMachine().stateDigest());
    }

    /** The core's input for a membership hint, if it concerns another replica. */
    Optional<Input> onMembershipChanged(ReplicaActor.MembershipChanged changed) {
        MembershipHint hint = changed.hint();
        metrics.increment("membership.hint." + hint.kind());
        long view = driver.replica().status().view();
        boolean aboutPrimary = hint.replicaId().filter(id -> id == membership.primaryOf(view)).isPresent();
        log.atInfo().addKeyValue("replica", replicaId).addKeyValue("view", view)
                .addKeyValue("hint", hint.kind()).addKeyValue("about", hint.replicaId().map(String::valueOf)
                        .orElse("unknown"))
                .log("membership hint: node {} (replica {}) is {}{}", hint.node(),
                        hint.replicaId().map(String::valueOf).orElse("?"), hint.kind(),
                        aboutPrimary ? ", and it hosts the primary" : "");
        if (hint.replicaId().isEmpty() || hint.replicaId().get() == replicaId) {
            return Optional.empty();
        }
        // Only a hint for the core: an unreachable primary may be suspected sooner, never convicted.
        boolean reachable = hint.kind() == MembershipHint.Kind.UP || hint.kind() == MembershipHint.Kind.REACHABLE;
        return Optional.of(new Input.PeerReachability(hint.replicaId().get(), reachable));
    }

    // ---------------------------------------------------------------- one step of the core

    /**
     * Steps the core. For a client submission, a request the core refused is answered with the reason, and
     * an accepted one is remembered so that its reply finds the client. Nothing is sent yet: the caller makes
     * {@link Ready#persist()} durable and then calls {@link #afterDurable}.
     *
     * @throws Invariants.InvariantViolation after telling the submitting client, if the core broke an invariant
     */
    Ready step(Input input, Optional<Submission> submission) {
        Ready ready;
        try {
            ready = driver.step(input);
        } catch (Invariants.InvariantViolation violation) {
            submission.ifPresent(client -> client.submit().replyTo().tell(new ClientResponse.Rejected(
                    RejectionReason.REPLICA_HALTED, violation.getMessage())));
            throw violation;
        }
        submission.ifPresent(client -> answerOrRoute(client, ready));
        return ready;
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

    /** Carries out the rest of a {@link Ready} once its events are durable: send, publish, log (PBFT §4.2). */
    void afterDurable(Ready ready) {
        for (Outbound outbound : ready.send()) {
            send(outbound);
        }
        for (Execution execution : ready.execute()) {
            if (execution instanceof Execution.ExecuteBatch batch) {
                // After a recovery the batches are executed again; the log already holds those it kept.
                if (batch.sequence() > orderedLog.latestSequence().orElse(0)) {
                    orderedLog.append(entries.assemble(batch));
                }
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
            var message = new ReplicaActor.PeerMessage(bytes);
            for (int peer = 0; peer < membership.size(); peer++) {
                if (peer != replicaId) {
                    peers.send(peer, message);
                }
            }
        } else if (destination instanceof Destination.Replica replica) {
            peers.send(replica.replicaId(), new ReplicaActor.PeerMessage(bytes));
        } else {
            replyToClient(((Destination.Client) destination).clientId(), outbound.envelope(), bytes);
        }
    }

    private void replyToClient(PublicKey clientId, Envelope envelope, Bytes bytes) {
        if (!(envelope instanceof Envelope.MessageEnvelope single && single.message().body() instanceof Reply reply)) {
            log.warn("replica {}: the core addressed a {} to a client; not sent", replicaId, kindOf(envelope));
            return;
        }
        var waiting = clientRoutes.takeWaiting(clientId, reply.requestNumber());
        if (waiting.isEmpty()) {
            metrics.increment("client.reply.unrouted");
            log.atDebug().addKeyValue("replica", replicaId).addKeyValue("client", clientId)
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

    void reject(ReplicaActor.ClientSubmit submit, RejectionReason reason, String detail) {
        metrics.increment("client.rejected." + reason);
        submit.replyTo().tell(new ClientResponse.Rejected(reason, detail));
    }

    /**
     * Counts one durable write of {@code events} events gathered from {@code steps} core steps: journal writes
     * per second, events and steps per write.
     */
    void countJournalWrite(int events, int steps) {
        if (events > 0) {
            metrics.add("journal.events", events);
            metrics.add("journal.steps", steps);
            metrics.increment("journal.writes");
        }
    }

    private void countDecodeRejection(String source, DecodeResult.Rejected rejected) {
        metrics.increment("decode.rejected." + rejected.error());
        log.atDebug().addKeyValue("replica", replicaId).addKeyValue("source", source)
                .addKeyValue("error", rejected.error())
                .log("undecodable {} message dropped: {}: {}", source, rejected.error(), rejected.detail());
    }

    private void logDrop(Dropped dropped) {
        metrics.increment("dropped." + dropped.reason());
        if (log.isDebugEnabled()) {
            log.atDebug().addKeyValue("replica", replicaId).addKeyValue("view", driver.replica().status().view())
                    .addKeyValue("messageType", dropped.messageType()).addKeyValue("sender", dropped.sender())
                    .addKeyValue("reason", dropped.reason())
                    .log("dropped {} from {}: {} ({})", dropped.messageType(), dropped.sender(), dropped.reason(),
                            dropped.detail());
        }
    }

    /** Logs and counts a broken invariant and closes the ordered log; the actor then stops serving. */
    void halt(Invariants.InvariantViolation violation) {
        log.error("replica {} halted after an invariant violation: {}", replicaId, violation.getMessage(), violation);
        metrics.increment("replica.halted");
        orderedLog.close();
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

    static String kindOf(Envelope envelope) {
        if (envelope instanceof Envelope.PrePrepareEnvelope) {
            return "PrePrepare";
        }
        return ((Envelope.MessageEnvelope) envelope).message().body().getClass().getSimpleName();
    }
}
