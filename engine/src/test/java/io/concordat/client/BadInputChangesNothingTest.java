package io.concordat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.wire.DecodeResult;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Bad input sent straight to the real endpoints of four real cores (garbage, a forged signature, an
 * oversized body, replays) is refused with a clear error, and no replica's state changes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputChangesNothingTest {
    private static final Bytes KEY = Bytes.ofUtf8("balance");

    private final ActorTestKit testKit = ActorTestKit.create("BadInputChangesNothingTest");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private ClientTestCluster cluster;
    private Ed25519KeyPair aliceKeys;
    private MessageSigner alice;

    @BeforeAll
    void startAndWriteTwice() throws Exception {
        cluster = ClientTestCluster.honest(testKit.system());
        aliceKeys = ClientTestCluster.clientKeyPair("alice");
        alice = new MessageSigner(aliceKeys.signer(), cluster.cores().codec());
        try (var client = BftClient.create(cluster.clientSettings("alice").build())) {
            client.submit(KeyValueOperations.put(KEY, Bytes.ofUtf8("100")).toByteArray()).toCompletableFuture().get();
            client.submit(KeyValueOperations.put(KEY, Bytes.ofUtf8("200")).toByteArray()).toCompletableFuture().get();
        }
    }

    @AfterAll
    void stop() {
        cluster.close();
        testKit.shutdownTestKit();
    }

    /** The exact bytes Alice's client sent as request {@code number} (Ed25519 signing is deterministic). */
    private Bytes aliceRequest(long number, String value) {
        var request = new ClientRequest(aliceKeys.publicKey(), number, KeyValueOperations.put(KEY, Bytes.ofUtf8(value)), false);
        return cluster.cores().codec().encodeEnvelope(new Envelope.MessageEnvelope(alice.sign(request)));
    }

    private HttpResponse<byte[]> post(int replicaId, Bytes body) throws Exception {
        URI uri = URI.create(cluster.endpoint(replicaId).uri() + "/v1/requests");
        return http.send(HttpRequest.newBuilder(uri).header("Content-Type", "application/x-protobuf")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static void assertRefused(HttpResponse<byte[]> response, int status, String errorCode) {
        String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(status, response.statusCode(), body);
        assertEquals(Optional.of(errorCode), response.headers().firstValue("Concordat-Error"), body);
        assertTrue(!body.isBlank());
    }

    @Test
    void badInputIsRefusedAndNoReplicaChanges() throws Exception {
        List<String> before = cluster.cores().executedStates();
        var mallory = new MessageSigner(ClientTestCluster.clientKeyPair("mallory").signer(), cluster.cores().codec());
        Bytes forged = cluster.cores().codec().encodeEnvelope(new Envelope.MessageEnvelope(mallory.sign(
                new ClientRequest(aliceKeys.publicKey(), 3, KeyValueOperations.put(KEY, Bytes.ofUtf8("0")), false))));

        for (int replicaId = 0; replicaId < InProcessCluster.REPLICA_COUNT; replicaId++) {
            assertRefused(post(replicaId, Bytes.ofUtf8("garbage")), 400, "MALFORMED");
            assertRefused(post(replicaId, forged), 403, "BAD_SIGNATURE");
            assertRefused(post(replicaId, Bytes.wrap(new byte[256 * 1024])), 413, "OVERSIZED");
            assertRefused(post(replicaId, aliceRequest(1, "100")), 409, "STALE_REQUEST");
        }

        assertEquals(before, cluster.cores().executedStates());
    }

    @Test
    void replayingTheLastRequestReturnsTheCachedReplyAndExecutesNothing() throws Exception {
        List<String> before = cluster.cores().executedStates();

        for (int replicaId = 0; replicaId < InProcessCluster.REPLICA_COUNT; replicaId++) {
            HttpResponse<byte[]> response = post(replicaId, aliceRequest(2, "200"));
            assertEquals(200, response.statusCode());
            var decoded = (DecodeResult.Decoded) cluster.cores().codec().decodeEnvelope(Bytes.wrap(response.body()));
            var reply = (Reply) ((Envelope.MessageEnvelope) decoded.envelope()).message().body();
            assertEquals(2, reply.requestNumber());
            assertEquals(replicaId, reply.replicaId());
            assertEquals(Optional.of(Bytes.ofUtf8("100")), KeyValueOperations.decodeResult(reply.result()).value());
        }

        assertEquals(before, cluster.cores().executedStates());
    }
}
