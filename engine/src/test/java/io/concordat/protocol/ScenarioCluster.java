package io.concordat.protocol;

import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A scripted cluster for scenario tests over the pure core, in the style of etcd raft's interaction
 * tests: messages wait in a queue until the test delivers, drops or reorders them, and time passes only
 * when the test ticks. Every message goes through the real protobuf codec and real Ed25519 signatures.
 */
final class ScenarioCluster {
    /** A message on its way from one replica (or client) to a replica or client. */
    record InFlight(int from, Destination to, int toReplica, Bytes envelopeBytes, Envelope envelope) {
        boolean isToReplica() {
            return toReplica >= 0;
        }

        String kind() {
            if (envelope instanceof Envelope.PrePrepareEnvelope) {
                return "PrePrepare";
            }
            return ((Envelope.MessageEnvelope) envelope).message().body().getClass().getSimpleName();
        }
    }

    final Membership membership;
    final ProtocolConfiguration configuration;
    final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    final List<Ed25519KeyPair> keys = new ArrayList<>();
    final List<ExecutionDriver> replicas = new ArrayList<>();
    final List<KeyValueStore> stores = new ArrayList<>();
    final List<List<Ready>> readies = new ArrayList<>();
    final List<InFlight> network = new ArrayList<>();
    final Map<PublicKey, List<Signed<Reply>>> clientInboxes = new HashMap<>();
    /** Sees every message a replica sends as it is queued; a test can replace it (a Byzantine sender). */
    java.util.function.UnaryOperator<InFlight> interceptor = message -> message;

    ScenarioCluster(int faultsTolerated, ProtocolConfiguration configuration) {
        int n = 3 * faultsTolerated + 1;
        for (int replica = 0; replica < n; replica++) {
            keys.add(keyFromSeed(replica + 1));
        }
        this.membership = new Membership(faultsTolerated, keys.stream().map(Ed25519KeyPair::publicKey).toList());
        this.configuration = configuration;
        for (int replica = 0; replica < n; replica++) {
            KeyValueStore store = new KeyValueStore();
            stores.add(store);
            replicas.add(new ExecutionDriver(new PbftReplica(replica, membership, configuration,
                    keys.get(replica).signer(), new Ed25519Verifier(), codec), store));
            readies.add(new ArrayList<>());
        }
    }

    static ProtocolConfiguration smallConfiguration() {
        return ProtocolConfiguration.defaults().withCheckpointInterval(4, 8).withBatching(2, 1 << 20, 2)
                .withStatusIntervalTicks(5);
    }

    static Ed25519KeyPair keyFromSeed(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return Ed25519KeyPair.fromSeed(Bytes.wrap(bytes));
    }

    /**
     * Crashes {@code replica} and starts it again from {@code events}, what it persisted: a fresh core and an
     * empty application, rebuilt by {@link ExecutionDriver#recover}. Messages queued for it are kept.
     */
    Ready restart(int replica, List<ProtocolEvent> events) {
        KeyValueStore store = new KeyValueStore();
        ExecutionDriver driver = new ExecutionDriver(new PbftReplica(replica, membership, configuration,
                keys.get(replica).signer(), new Ed25519Verifier(), codec), store);
        stores.set(replica, store);
        replicas.set(replica, driver);
        Ready ready = driver.recover(events);
        readies.get(replica).add(ready);
        for (Outbound outbound : ready.send()) {
            enqueue(replica, outbound);
        }
        return ready;
    }

    PbftReplica core(int replica) {
        return replicas.get(replica).replica();
    }

    int size() {
        return membership.size();
    }

    /** A client with a deterministic key; {@code index} distinguishes clients. */
    ScenarioClient client(int index) {
        return new ScenarioClient(this, keyFromSeed(100 + index));
    }

    /** Steps one replica with an input and queues everything it sends. */
    Ready step(int replica, Input input) {
        Ready ready = replicas.get(replica).step(input);
        readies.get(replica).add(ready);
        for (Outbound outbound : ready.send()) {
            enqueue(replica, outbound);
        }
        return ready;
    }

    void tick(int replica, int ticks) {
        for (int tick = 0; tick < ticks; tick++) {
            step(replica, new Input.Tick());
        }
    }

    void tickAll(int ticks) {
        for (int tick = 0; tick < ticks; tick++) {
            for (int replica = 0; replica < size(); replica++) {
                step(replica, new Input.Tick());
            }
        }
    }

    /** Sends a client's envelope to the given replicas (all of them when none are named). */
    void fromClient(Envelope envelope, int... targets) {
        int[] to = targets.length == 0 ? allReplicas() : targets;
        for (int replica : to) {
            Bytes bytes = codec.encodeEnvelope(envelope);
            network.add(new InFlight(-1, new Destination.Replica(replica), replica, bytes, decode(bytes)));
        }
    }

    /** Delivers queued messages that match, in order, until none match; returns how many were delivered. */
    int deliver(Predicate<InFlight> which) {
        int delivered = 0;
        boolean progress = true;
        while (progress) {
            progress = false;
            Iterator<InFlight> iterator = network.iterator();
            while (iterator.hasNext()) {
                InFlight message = iterator.next();
                if (which.test(message)) {
                    iterator.remove();
                    deliverOne(message);
                    delivered++;
                    progress = true;
                    break;
                }
            }
        }
        return delivered;
    }

    int deliverAll() {
        return deliver(message -> true);
    }

    /** Removes queued messages that match without delivering them; returns how many. */
    int drop(Predicate<InFlight> which) {
        int before = network.size();
        network.removeIf(which);
        return before - network.size();
    }

    List<InFlight> queued(Predicate<InFlight> which) {
        return network.stream().filter(which).toList();
    }

    List<Dropped> droppedBy(int replica) {
        return readies.get(replica).stream().flatMap(ready -> ready.dropped().stream()).toList();
    }

    List<Execution.ExecuteBatch> executedBy(int replica) {
        return readies.get(replica).stream().flatMap(ready -> ready.execute().stream())
                .filter(Execution.ExecuteBatch.class::isInstance).map(Execution.ExecuteBatch.class::cast).toList();
    }

    List<ProtocolEvent> persistedBy(int replica) {
        return readies.get(replica).stream().flatMap(ready -> ready.persist().stream()).toList();
    }

    List<CheckpointNotice> checkpointsOf(int replica) {
        return readies.get(replica).stream().flatMap(ready -> ready.checkpoints().stream()).toList();
    }

    List<Signed<Reply>> inbox(PublicKey clientId) {
        return clientInboxes.getOrDefault(clientId, List.of());
    }

    private void deliverOne(InFlight message) {
        if (message.isToReplica()) {
            step(message.toReplica(), new Input.Receive(decode(message.envelopeBytes())));
        } else {
            PublicKey client = ((Destination.Client) message.to()).clientId();
            @SuppressWarnings("unchecked")
            Signed<Reply> reply = (Signed<Reply>) ((Envelope.MessageEnvelope) message.envelope()).message();
            clientInboxes.computeIfAbsent(client, key -> new ArrayList<>()).add(reply);
        }
    }

    private void enqueue(int from, Outbound outbound) {
        Bytes bytes = codec.encodeEnvelope(outbound.envelope());
        Envelope decoded = decode(bytes);
        if (outbound.destination() instanceof Destination.AllReplicas) {
            for (int replica = 0; replica < size(); replica++) {
                if (replica != from) {
                    network.add(interceptor.apply(new InFlight(from, new Destination.Replica(replica), replica, bytes,
                            decoded)));
                }
            }
        } else if (outbound.destination() instanceof Destination.Replica target) {
            network.add(interceptor.apply(new InFlight(from, target, target.replicaId(), bytes, decoded)));
        } else {
            network.add(interceptor.apply(new InFlight(from, outbound.destination(), -1, bytes, decoded)));
        }
    }

    private Envelope decode(Bytes bytes) {
        DecodeResult result = codec.decodeEnvelope(bytes);
        if (result instanceof DecodeResult.Decoded decoded) {
            return decoded.envelope();
        }
        throw new AssertionError("the codec rejected an envelope the core produced: " + result);
    }

    private int[] allReplicas() {
        int[] all = new int[size()];
        for (int replica = 0; replica < size(); replica++) {
            all[replica] = replica;
        }
        return all;
    }

    /** A client that signs requests with real Ed25519 and the real codec. */
    static final class ScenarioClient {
        private final ScenarioCluster cluster;
        final Ed25519KeyPair key;
        private final MessageSigner signer;
        private long nextRequestNumber = 1;

        ScenarioClient(ScenarioCluster cluster, Ed25519KeyPair key) {
            this.cluster = cluster;
            this.key = key;
            this.signer = new MessageSigner(key.signer(), cluster.codec);
        }

        PublicKey id() {
            return key.publicKey();
        }

        Signed<ClientRequest> request(Bytes operation) {
            return signer.sign(new ClientRequest(key.publicKey(), nextRequestNumber++, operation, false));
        }

        Signed<ClientRequest> request(long requestNumber, Bytes operation, boolean readOnly) {
            return signer.sign(new ClientRequest(key.publicKey(), requestNumber, operation, readOnly));
        }

        /** Signs the next request and sends it to the given replicas (all when none are named). */
        Signed<ClientRequest> submit(Bytes operation, int... targets) {
            Signed<ClientRequest> request = request(operation);
            cluster.fromClient(new Envelope.MessageEnvelope(request), targets);
            return request;
        }

        void resend(Signed<ClientRequest> request, int... targets) {
            cluster.fromClient(new Envelope.MessageEnvelope(request), targets);
        }

        /** Replies received for {@code requestNumber}, one per replica at most (the first stands). */
        Map<Integer, Signed<Reply>> replies(long requestNumber) {
            Map<Integer, Signed<Reply>> byReplica = new HashMap<>();
            for (Signed<Reply> reply : cluster.inbox(id())) {
                if (reply.body().requestNumber() == requestNumber) {
                    byReplica.putIfAbsent(reply.body().replicaId(), reply);
                }
            }
            return byReplica;
        }
    }
}
