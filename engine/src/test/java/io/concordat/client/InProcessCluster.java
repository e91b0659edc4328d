package io.concordat.client;

import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Sha256;
import io.concordat.endpoint.RequestHandler;
import io.concordat.endpoint.SubmitOutcome;
import io.concordat.protocol.Destination;
import io.concordat.protocol.DropReason;
import io.concordat.protocol.Dropped;
import io.concordat.protocol.ExecutionDriver;
import io.concordat.protocol.Input;
import io.concordat.protocol.Membership;
import io.concordat.protocol.Outbound;
import io.concordat.protocol.PbftReplica;
import io.concordat.protocol.ProtocolConfiguration;
import io.concordat.protocol.Ready;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Four real protocol cores ({@link PbftReplica} with {@link KeyValueStore}, through {@link ExecutionDriver})
 * wired together by a synchronous in-memory pump: every envelope a core sends is encoded, decoded and
 * stepped into its destination at once, until nothing is left to deliver. Each replica's
 * {@link #handler(int)} plays the part the replica actor plays in a node: it steps the client's request
 * into its core and completes when that core sends the reply to the client.
 *
 * <p>One lock guards everything, so the endpoints' threads may call the handlers concurrently.
 */
final class InProcessCluster {
    static final int FAULTS_TOLERATED = 1;
    static final int REPLICA_COUNT = 3 * FAULTS_TOLERATED + 1;

    private record WaiterKey(PublicKey clientId, long requestNumber, boolean readOnly) {}

    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final List<Ed25519KeyPair> replicaKeys = new ArrayList<>();
    private final List<ExecutionDriver> drivers = new ArrayList<>();
    private final boolean[] crashed = new boolean[REPLICA_COUNT];
    private final List<Map<WaiterKey, List<CompletableFuture<SubmitOutcome>>>> waiters = new ArrayList<>();

    InProcessCluster() {
        for (int replicaId = 0; replicaId < REPLICA_COUNT; replicaId++) {
            replicaKeys.add(replicaKeyPair(replicaId));
        }
        var membership = new Membership(FAULTS_TOLERATED, replicaKeys.stream().map(Ed25519KeyPair::publicKey).toList());
        var configuration = ProtocolConfiguration.defaults().withBatching(64, 1 << 20, 0);
        for (int replicaId = 0; replicaId < REPLICA_COUNT; replicaId++) {
            var replica = new PbftReplica(replicaId, membership, configuration, replicaKeys.get(replicaId).signer(),
                    new Ed25519Verifier(), codec);
            drivers.add(new ExecutionDriver(replica, new KeyValueStore()));
            waiters.add(new HashMap<>());
        }
    }

    static Ed25519KeyPair replicaKeyPair(int replicaId) {
        return Ed25519KeyPair.fromSeed(Sha256.of(Bytes.ofUtf8("client-test-replica-" + replicaId)).value());
    }

    Ed25519KeyPair keyPair(int replicaId) {
        return replicaKeys.get(replicaId);
    }

    ProtobufCodec codec() {
        return codec;
    }

    /** Each replica's last executed sequence number and application state digest, in replica order. */
    synchronized List<String> executedStates() {
        List<String> states = new ArrayList<>();
        for (ExecutionDriver driver : drivers) {
            states.add(driver.replica().status().lastExecutedSequence() + "@" + driver.stateMachine().stateDigest());
        }
        return states;
    }

    /** The core stops: it receives nothing and sends nothing from now on, and its handler never answers. */
    synchronized void crash(int replicaId) {
        crashed[replicaId] = true;
    }

    /** What the replica actor would do for the client endpoint of {@code replicaId}. */
    RequestHandler handler(int replicaId) {
        return envelope -> submit(replicaId, envelope);
    }

    private synchronized CompletionStage<SubmitOutcome> submit(int replicaId, Bytes requestEnvelope) {
        var answer = new CompletableFuture<SubmitOutcome>();
        if (crashed[replicaId]) {
            return answer;
        }
        DecodeResult decoded = codec.decodeEnvelope(requestEnvelope);
        if (!(decoded instanceof DecodeResult.Decoded valid)) {
            return CompletableFuture.completedFuture(
                    new SubmitOutcome.Refused(SubmitOutcome.Refusal.MALFORMED, decoded.toString()));
        }
        var request = (ClientRequest) ((Envelope.MessageEnvelope) valid.envelope()).message().body();
        var key = new WaiterKey(request.clientId(), request.requestNumber(), request.readOnly());
        waiters.get(replicaId).computeIfAbsent(key, ignored -> new ArrayList<>()).add(answer);
        Ready ready = drivers.get(replicaId).step(new Input.Receive(valid.envelope()));
        refusal(ready).ifPresent(refused -> {
            waiters.get(replicaId).get(key).remove(answer);
            answer.complete(refused);
        });
        pump(replicaId, ready);
        return answer;
    }

    /** The core's reason for dropping the client's request, as the actor would report it. */
    private static Optional<SubmitOutcome.Refused> refusal(Ready ready) {
        for (Dropped dropped : ready.dropped()) {
            if (!dropped.messageType().equals(ClientRequest.class.getSimpleName())
                    || dropped.reason() == DropReason.DUPLICATE) {
                continue;
            }
            SubmitOutcome.Refusal refusal;
            if (dropped.reason() == DropReason.STALE_REQUEST) {
                refusal = SubmitOutcome.Refusal.STALE_REQUEST;
            } else if (dropped.reason() == DropReason.OVERLOADED) {
                refusal = SubmitOutcome.Refusal.OVERLOADED;
            } else if (dropped.reason() == DropReason.BAD_SIGNATURE) {
                refusal = SubmitOutcome.Refusal.BAD_SIGNATURE;
            } else if (dropped.reason() == DropReason.OVERSIZED) {
                refusal = SubmitOutcome.Refusal.OVERSIZED;
            } else {
                refusal = SubmitOutcome.Refusal.MALFORMED;
            }
            return Optional.of(new SubmitOutcome.Refused(refusal, dropped.detail()));
        }
        return Optional.empty();
    }

    /** Delivers everything {@code first} sends, and everything that follows from it, until all is quiet. */
    private void pump(int firstSender, Ready first) {
        record Pending(int sender, Outbound outbound) {}
        var queue = new ArrayDeque<Pending>();
        first.send().forEach(outbound -> queue.add(new Pending(firstSender, outbound)));
        while (!queue.isEmpty()) {
            Pending next = queue.removeFirst();
            Destination destination = next.outbound().destination();
            // Every envelope crosses the wire format, as it would between nodes.
            Envelope envelope = ((DecodeResult.Decoded) codec.decodeEnvelope(
                    codec.encodeEnvelope(next.outbound().envelope()))).envelope();
            if (destination instanceof Destination.Client) {
                answerClient(next.sender(), envelope);
                continue;
            }
            for (int receiver = 0; receiver < REPLICA_COUNT; receiver++) {
                boolean addressed = destination instanceof Destination.AllReplicas
                        ? receiver != next.sender()
                        : ((Destination.Replica) destination).replicaId() == receiver;
                if (addressed && !crashed[receiver]) {
                    int sender = receiver;
                    drivers.get(receiver).step(new Input.Receive(envelope)).send()
                            .forEach(outbound -> queue.add(new Pending(sender, outbound)));
                }
            }
        }
    }

    private void answerClient(int replicaId, Envelope envelope) {
        var reply = (Reply) ((Envelope.MessageEnvelope) envelope).message().body();
        var key = new WaiterKey(reply.clientId(), reply.requestNumber(), reply.readOnly());
        List<CompletableFuture<SubmitOutcome>> waiting = waiters.get(replicaId).remove(key);
        if (waiting != null) {
            var replied = new SubmitOutcome.Replied(codec.encodeEnvelope(envelope));
            waiting.forEach(answer -> answer.complete(replied));
        }
    }
}
