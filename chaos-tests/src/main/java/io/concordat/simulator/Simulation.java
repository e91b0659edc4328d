package io.concordat.simulator;

import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;
import io.concordat.protocol.Destination;
import io.concordat.protocol.Dropped;
import io.concordat.protocol.Execution;
import io.concordat.protocol.ExecutionDriver;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.Outbound;
import io.concordat.protocol.PbftReplica;
import io.concordat.protocol.Ready;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.Signable;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * One deterministic run, after TigerBeetle's VOPR: n = 3f+1 real PBFT replicas (each an
 * {@link ExecutionDriver} over a {@link KeyValueStore}) and a few clients, on one thread, in logical
 * ticks, over a {@link SimulatedNetwork}. Messages travel as encoded envelopes, signed with keys derived
 * from the seed (real Ed25519, or the simulator's {@link HmacSignatures}, as the parameters'
 * {@link SignatureScheme} says), and are decoded on delivery. Every choice comes from the seed through
 * {@link SplittableRandom}, nothing reads a clock and nothing iterates a hash-ordered collection, so a seed
 * replays bit for bit.
 *
 * <p>The run has two phases. In the safety phase the network loses, duplicates, delays and partitions,
 * and scheduled replicas crash; some restart later from their journal. Then the network heals (replicas
 * that crash-stopped stay down, Byzantine ones keep misbehaving) and the liveness phase runs until every
 * client operation completes or the tick bound passes. The checkers then judge the correct replicas and
 * the client history.
 */
public final class Simulation {
    /** VIEW-CHANGE and NEW-VIEW messages carry whole certificates; the printed trace keeps their start. */
    private static final int DESCRIPTION_MAX_CHARACTERS = 240;

    private final SimulationParameters parameters;
    private final Trace trace;
    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final List<SimulatedReplica> replicas = new ArrayList<>();
    private final List<SimulatedClient> clients = new ArrayList<>();
    /** Looked up only, never iterated, so hash order cannot leak into the run. */
    private final Map<PublicKey, Integer> clientNodeById = new HashMap<>();
    private final SimulatedNetwork network;
    private final SimulationStatistics statistics = new SimulationStatistics();
    private long eventOrder;

    public Simulation(SimulationParameters parameters, Optional<PrintStream> log) {
        this.parameters = parameters;
        this.trace = new Trace(log, this::describe);
        SplittableRandom root = new SplittableRandom(parameters.seed()).split();
        SplittableRandom keys = root.split();
        SignatureScheme.Keys scheme = parameters.signatureScheme().newKeys();
        int replicaCount = parameters.replicaCount();
        List<Signer> replicaSigners = new ArrayList<>();
        List<PublicKey> publicKeys = new ArrayList<>();
        for (int replica = 0; replica < replicaCount; replica++) {
            replicaSigners.add(scheme.signer(randomSeed(keys)));
            publicKeys.add(replicaSigners.get(replica).publicKey());
        }
        Membership membership = new Membership(parameters.faultsTolerated(), publicKeys);
        SignatureVerifier verifier = scheme.verifier();
        for (int replica = 0; replica < replicaCount; replica++) {
            replicas.add(newReplica(replica, replicaSigners.get(replica), membership, verifier, root.split()));
        }
        SimulatedClient.ClientSettings settings = new SimulatedClient.ClientSettings(parameters.operationsPerClient(),
                parameters.clientRetransmitTicks(), parameters.clientThinkTicksMax());
        for (int client = 0; client < parameters.clientCount(); client++) {
            MessageSigner signer = new MessageSigner(scheme.signer(randomSeed(keys)), codec);
            clients.add(new SimulatedClient(client, signer, membership, codec,
                    new OperationGenerator(client, parameters.keyCount(), root.split()), root.split(), settings,
                    () -> eventOrder++, trace));
            clientNodeById.put(signer.signer().publicKey(), replicaCount + client);
        }
        network = new SimulatedNetwork(replicaCount, parameters.networkFaults(), root.split(), trace);
        if (parameters.firstPrimaryIsolationTicks() > 0) {
            network.isolate(0, parameters.firstPrimaryIsolationTicks());
            trace.event(0, "replica 0 is cut off from the other replicas until tick "
                    + parameters.firstPrimaryIsolationTicks());
        }
    }

    /** Runs the seed's default scenario. */
    public static SimulationResult run(long seed) {
        return run(seed, Scenario.random());
    }

    public static SimulationResult run(long seed, Scenario scenario) {
        return new Simulation(SimulationParameters.generate(seed, scenario), Optional.empty()).run();
    }

    public SimulationResult run() {
        long tick = 0;
        Optional<String> crash = Optional.empty();
        try {
            long restartsDoneTick = lastRestartTick() + 1;
            for (; (!allClientsFinished() || tick < restartsDoneTick)
                    && tick < parameters.safetyPhaseTicks() + parameters.livenessPhaseTicksMax(); tick++) {
                step(tick);
            }
        } catch (RuntimeException e) {
            crash = Optional.of("exception at tick " + tick + ": " + stackTrace(e));
        }
        return SimulationJudge.judge(parameters, replicas, clients, crash, tick, trace.finish(),
                statistics.collect(network.statistics(), replicas, clients));
    }

    private void step(long tick) {
        if (tick == parameters.safetyPhaseTicks()) {
            network.heal(tick);
            trace.event(tick, "faults heal: the liveness phase starts");
        }
        for (SimulatedReplica replica : replicas) {
            CrashPlan plan = parameters.crashes().get(replica.replicaId());
            if (plan != null) {
                crashOrRestart(replica, plan, tick);
            }
        }
        network.updatePartitions(tick);
        for (SimulatedNetwork.InFlight message : network.takeDue(tick)) {
            deliver(message, tick);
        }
        for (SimulatedReplica replica : replicas) {
            if (!replica.isCrashed()) {
                handle(replica, replica.tick(), tick);
                for (ByzantineContext.Held held : replica.releaseHeld(tick)) {
                    network.send(tick, replica.replicaId(), held.destinationNode(), held.payload());
                }
            }
        }
        for (int client = 0; client < clients.size(); client++) {
            int node = replicas.size() + client;
            clients.get(client).tick(tick, (replicaId, payload) -> network.send(tick, node, replicaId, payload));
        }
    }

    private void crashOrRestart(SimulatedReplica replica, CrashPlan plan, long tick) {
        if (plan.crashTick() == tick && plan.afterPersistBeforeSend()) {
            replica.crashAfterNextPersist();
            trace.event(tick, "replica " + replica.replicaId() + " will crash after persisting its next step");
        } else if (plan.crashTick() == tick) {
            replica.crash();
            trace.event(tick, "replica " + replica.replicaId() + " crashes");
        } else if (plan.restartTick().isPresent() && plan.restartTick().getAsLong() == tick) {
            trace.event(tick, "replica " + replica.replicaId() + " restarts from its journal");
            handle(replica, replica.restart(), tick);
        }
    }

    private void deliver(SimulatedNetwork.InFlight message, long tick) {
        int destination = message.destination();
        if (destination < replicas.size() && replicas.get(destination).isCrashed()) {
            network.statistics().refusedByCrashedNode++;
            trace.message(tick, "refused", message.source(), destination, message.payload());
            return;
        }
        DecodeResult decoded = codec.decodeEnvelope(message.payload());
        if (!(decoded instanceof DecodeResult.Decoded envelope)) {
            statistics.decodeRejections++;
            trace.message(tick, "undecodable", message.source(), destination, message.payload());
            return;
        }
        network.statistics().delivered++;
        trace.message(tick, "delivered", message.source(), destination, message.payload());
        if (destination < replicas.size()) {
            SimulatedReplica replica = replicas.get(destination);
            handle(replica, replica.receive(envelope.envelope()), tick);
        } else {
            clients.get(destination - replicas.size()).receive(envelope.envelope(), tick);
        }
    }

    /** Carries out a {@link Ready}: its events count as durable at once, then its messages go out. */
    private void handle(SimulatedReplica replica, Ready ready, long tick) {
        boolean mustSend = replica.persist(ready, tick);
        for (Execution execution : ready.execute()) {
            if (execution instanceof Execution.ExecuteBatch batch) {
                trace.event(tick, "replica " + replica.replicaId() + " executes sequence " + batch.sequence() + " batch "
                        + batch.batchDigest() + " (" + batch.requests().size() + " requests)");
            }
        }
        for (Dropped dropped : ready.dropped()) {
            trace.note(tick, () -> "replica " + replica.replicaId() + " dropped " + dropped.messageType() + " from "
                    + dropped.sender() + ": " + dropped.reason() + ", " + dropped.detail());
        }
        if (!mustSend) {
            trace.event(tick, "replica " + replica.replicaId() + " crashes after persisting, before sending "
                    + ready.send().size() + " envelopes");
            return;
        }
        for (Outbound outbound : ready.send()) {
            for (int destination : destinations(replica.replicaId(), outbound.destination())) {
                for (Bytes payload : replica.encodeFor(outbound.envelope(), destination, tick)) {
                    network.send(tick, replica.replicaId(), destination, payload);
                }
            }
        }
    }

    private List<Integer> destinations(int sender, Destination destination) {
        List<Integer> nodes = new ArrayList<>();
        if (destination instanceof Destination.AllReplicas) {
            for (int replica = 0; replica < replicas.size(); replica++) {
                if (replica != sender) {
                    nodes.add(replica);
                }
            }
        } else if (destination instanceof Destination.Replica replica) {
            nodes.add(replica.replicaId());
        } else {
            Integer client = clientNodeById.get(((Destination.Client) destination).clientId());
            if (client == null) {
                statistics.repliesToUnknownClients++;
            } else {
                nodes.add(client);
            }
        }
        return nodes;
    }

    /** Every scheduled restart happens, even after the clients are done, so its recovery is checked too. */
    private long lastRestartTick() {
        long last = -1;
        for (CrashPlan plan : parameters.crashes().values()) {
            last = Math.max(last, plan.restartTick().orElse(-1));
        }
        return last;
    }

    private boolean allClientsFinished() {
        for (SimulatedClient client : clients) {
            if (!client.isFinished()) {
                return false;
            }
        }
        return true;
    }

    private SimulatedReplica newReplica(int replicaId, Signer signer, Membership membership,
            SignatureVerifier verifier, SplittableRandom random) {
        Supplier<ExecutionDriver> freshDriver = () -> new ExecutionDriver(new PbftReplica(replicaId, membership,
                parameters.protocolConfiguration(), signer, verifier, codec), new KeyValueStore());
        Optional<ByzantineBehaviorKind> kind = Optional.ofNullable(parameters.byzantineReplicas().get(replicaId));
        Optional<ByzantineContext> context = kind.map(ignored -> new ByzantineContext(replicaId, membership,
                parameters.protocolConfiguration(), new MessageSigner(signer, codec), codec, random));
        Optional<CommitCertificateChecker> commitCertificates = kind.isPresent() ? Optional.empty()
                : Optional.of(new CommitCertificateChecker(replicaId, membership, verifier));
        return new SimulatedReplica(replicaId, freshDriver, parameters.compactJournals(), codec,
                kind.map(ByzantineBehaviorKind::create), context, commitCertificates);
    }

    /** A payload in words, for the printed trace only. */
    private String describe(Bytes payload) {
        DecodeResult decoded = codec.decodeEnvelope(payload);
        if (decoded instanceof DecodeResult.Rejected rejected) {
            return "undecodable (" + rejected.error() + ")";
        }
        Envelope envelope = ((DecodeResult.Decoded) decoded).envelope();
        String description = envelope instanceof Envelope.PrePrepareEnvelope prePrepare
                ? prePrepare.prePrepare().body() + " with " + requestsOf(prePrepare.batch())
                : describeMessage(((Envelope.MessageEnvelope) envelope).message().body());
        return description.length() <= DESCRIPTION_MAX_CHARACTERS ? description
                : description.substring(0, DESCRIPTION_MAX_CHARACTERS) + "...";
    }

    /** A new view by the sequence numbers and digests it re-proposes, which the record's text hides. */
    private static String describeMessage(Signable message) {
        if (!(message instanceof NewView newView)) {
            return message.toString();
        }
        return "NewView[view=" + newView.view() + ", from " + newView.viewChanges().size() + " view changes, prePrepares="
                + newView.prePrepares().stream().map(prePrepare -> prePrepare.body().sequence() + ":"
                        + prePrepare.body().batchDigest()).toList() + ", replicaId=" + newView.replicaId() + "]";
    }

    /** The requests of a batch as client and request number, the client by its key's first bytes. */
    private static String requestsOf(Batch batch) {
        return batch.requests().stream().map(request -> request.body().clientId().toString().substring(0, 8) + "#"
                + request.body().requestNumber()).toList().toString();
    }

    private static Bytes randomSeed(SplittableRandom random) {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        return Bytes.wrap(seed);
    }

    private static String stackTrace(RuntimeException e) {
        StringWriter text = new StringWriter();
        e.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
