package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueResult;
import io.concordat.client.BftClient;
import io.concordat.client.BftClientSettings;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.endpoint.ClientEndpoint;
import io.concordat.endpoint.ClientEndpointSettings;
import io.concordat.membership.ReplicaAddresses;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The whole path: BftClient over HTTP to each node's ClientEndpoint, into the replica actors, through
 * PBFT over Artery, and back. Bad input over the real endpoint is refused with a clear error and changes
 * no replica.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaEndpointTest {
    private static final int ENDPOINT_MAX_REQUEST_BYTES = 16 * 1024;
    private static final Bytes KEY = Bytes.ofUtf8("balance");

    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final Ed25519KeyPair aliceKeys = Ed25519KeyPair.fromSeed(LocalCluster.seed("alice", 0));
    private LocalCluster cluster;
    private final List<ClientEndpoint> endpoints = new ArrayList<>();

    @BeforeAll
    void start() {
        cluster = LocalCluster.start(1, Set.of());
        for (int replicaId = 0; replicaId < cluster.size(); replicaId++) {
            ReplicaNode node = cluster.node(replicaId);
            // Endpoint limits above the replica's (LocalCluster.REQUEST_MAX_BYTES) and small enough that an
            // oversized body fits in the socket buffers (see the 413 below).
            var settings = ClientEndpointSettings.defaults("127.0.0.1", 0, replicaId)
                    .withSizeLimits(ENDPOINT_MAX_REQUEST_BYTES, ENDPOINT_MAX_REQUEST_BYTES / 2);
            endpoints.add(LocalCluster.await(ClientEndpoint.start(node.system(), settings, node.requestHandler(),
                    node.signatureVerifier())
                    .toCompletableFuture(), Duration.ofSeconds(60)));
        }
    }

    @Test
    void eachReplicaReachesItsPeersThroughTheActorsAtTheirDefinedAddresses() {
        ReplicaAddresses addresses = cluster.node(0).configuration().addresses();
        awaitPeersResolved(addresses);

        // Another node registers an actor under replica 1's key: the others keep replica 1's own actor.
        ReplicaNode intruder = cluster.node(0);
        ActorRef<ReplicaActor.Command> impostor = intruder.system().systemActorOf(
                Behaviors.ignore(), "impostor-of-replica-1", Props.empty());
        intruder.system().receptionist().tell(Receptionist.register(PeerDirectory.keyOf(1), impostor));
        TestProbe<Receptionist.Listing> listings = testKit.createTestProbe();
        cluster.node(2).system().receptionist().tell(Receptionist.subscribe(PeerDirectory.keyOf(1),
                listings.ref()));
        listings.fishForMessage(Duration.ofSeconds(30), listing ->
                listing.getServiceInstances(PeerDirectory.keyOf(1)).size() == 2
                        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        awaitPeersResolved(addresses);
    }

    private void awaitPeersResolved(ReplicaAddresses addresses) {
        testKit.createTestProbe().awaitAssert(Duration.ofSeconds(30), () -> {
            for (int replicaId = 0; replicaId < cluster.size(); replicaId++) {
                PeerDirectory directory = cluster.node(replicaId).peerDirectory();
                for (int peer = 0; peer < cluster.size(); peer++) {
                    if (peer != replicaId) {
                        var resolved = directory.peer(peer);
                        assertTrue(resolved.isPresent(), "replica " + replicaId + " has not resolved " + peer);
                        assertEquals(addresses.pekkoAddressOf(peer), resolved.get().path().address(),
                                "replica " + replicaId + " resolved " + peer + " elsewhere");
                        assertTrue(resolved.get().path().toString().contains("/system/sharding/"),
                                "replica " + replicaId + " resolved " + peer + " to " + resolved.get().path());
                    }
                }
            }
            return null;
        });
    }

    @AfterAll
    void stop() {
        endpoints.forEach(ClientEndpoint::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aBftClientReadsItsOwnWritesThroughTheEndpoints() throws Exception {
        try (var client = BftClient.create(clientSettings(aliceKeys))) {
            assertTrue(execute(client, KeyValueOperations.put(KEY, Bytes.ofUtf8("100"))).isOk());
            assertTrue(execute(client, KeyValueOperations.compareAndSet(KEY, Optional.of(Bytes.ofUtf8("100")),
                    Bytes.ofUtf8("200"))).isOk());
            assertEquals(Optional.of(Bytes.ofUtf8("200")), execute(client, KeyValueOperations.get(KEY)).value());
            assertTrue(!execute(client, KeyValueOperations.compareAndSet(KEY, Optional.of(Bytes.ofUtf8("100")),
                    Bytes.ofUtf8("300"))).isOk(), "a compare-and-set against a stale value fails");
        }
        for (int replicaId = 0; replicaId < cluster.size(); replicaId++) {
            // The endpoint verified each request; the replica found the same signature in the node's cache.
            assertTrue(cluster.node(replicaId).signatureVerifier().hits() >= 4,
                    "replica " + replicaId + " verified the endpoint's requests again: "
                            + cluster.node(replicaId).signatureVerifier().hits() + " hits");
            // Its requests went straight to the running replica actor, not through sharding's routing.
            assertTrue(cluster.node(replicaId).replicaRunsLocally(), "replica " + replicaId + " is not published");
        }

        Map<Integer, ExecutedState> before = cluster.awaitConvergence();
        var mallory = new MessageSigner(Ed25519KeyPair.fromSeed(LocalCluster.seed("mallory", 0)).signer(), codec);
        Bytes forged = codec.encodeEnvelope(new Envelope.MessageEnvelope(mallory.sign(
                new ClientRequest(aliceKeys.publicKey(), 9, KeyValueOperations.put(KEY, Bytes.ofUtf8("0")), false))));
        Bytes stale = aliceRequest(1, KeyValueOperations.put(KEY, Bytes.ofUtf8("100")));
        Bytes oversizedOperation = aliceRequest(9, Bytes.wrap(new byte[LocalCluster.REQUEST_MAX_BYTES + 1]));
        for (int replicaId = 0; replicaId < cluster.size(); replicaId++) {
            assertRefused(post(replicaId, Bytes.ofUtf8("garbage")), 400, "MALFORMED");
            assertRefused(post(replicaId, forged), 403, "BAD_SIGNATURE");
            // Refused on its Content-Length alone; the endpoint reads and drops a body of up to eight times its
            // limit so that the 413 arrives (ClientEndpointTest). Before that, a 256 KiB body here once lost its
            // 413 to the reset of a connection closed unread ("header parser received no bytes").
            assertRefused(post(replicaId, Bytes.wrap(new byte[2 * ENDPOINT_MAX_REQUEST_BYTES])), 413, "OVERSIZED");
            // These two pass the endpoint's own checks; the replica refuses them.
            assertRefused(post(replicaId, oversizedOperation), 413, "OVERSIZED");
            assertRefused(post(replicaId, stale), 409, "STALE_REQUEST");
        }
        assertEquals(before, cluster.executedStates(), "refused input changed a replica");
    }

    private KeyValueResult execute(BftClient client, Bytes operation) throws Exception {
        byte[] result = client.submit(operation.toByteArray()).toCompletableFuture().get();
        return KeyValueOperations.decodeResult(Bytes.wrap(result));
    }

    private BftClientSettings clientSettings(Ed25519KeyPair keys) {
        var builder = BftClientSettings.builder()
                .faultsTolerated(1)
                .keyPair(keys)
                .initialRetransmissionDelay(Duration.ofSeconds(1))
                .maxRetransmissionDelay(Duration.ofSeconds(4))
                .maxAttempts(8)
                .readOnlyTimeout(Duration.ofSeconds(10))
                .exchangeTimeout(Duration.ofSeconds(30));
        for (int replicaId = 0; replicaId < cluster.size(); replicaId++) {
            builder.replica(replicaId, endpoints.get(replicaId).uri(), cluster.keys.get(replicaId).publicKey());
        }
        return builder.build();
    }

    private Bytes aliceRequest(long number, Bytes operation) {
        var signer = new MessageSigner(aliceKeys.signer(), codec);
        return codec.encodeEnvelope(new Envelope.MessageEnvelope(
                signer.sign(new ClientRequest(aliceKeys.publicKey(), number, operation, false))));
    }

    private HttpResponse<byte[]> post(int replicaId, Bytes body) throws Exception {
        URI uri = URI.create(endpoints.get(replicaId).uri() + ClientEndpoint.REQUESTS_PATH);
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-protobuf")
                        .timeout(Duration.ofSeconds(60))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status, String errorCode) {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), body);
        assertEquals(Optional.of(errorCode), response.headers().firstValue(ClientEndpoint.ERROR_HEADER), body);
        assertTrue(!body.isBlank());
    }
}
