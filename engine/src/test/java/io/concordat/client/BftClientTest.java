package io.concordat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueResult;
import io.concordat.common.Bytes;
import io.concordat.endpoint.RequestHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link BftClient} against four real client endpoints on 127.0.0.1 whose handlers are four real protocol
 * cores running the key-value store (see {@link InProcessCluster}), with faulty replicas where a test says so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BftClientTest {
    /** A guard against a hung test, not a timing assertion. */
    private static final long GUARD_SECONDS = 120;
    private static final Bytes KEY = Bytes.ofUtf8("colour");

    private final ActorTestKit testKit = ActorTestKit.create("BftClientTest");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int index = toClose.size() - 1; index >= 0; index--) {
            toClose.get(index).close();
        }
        toClose.clear();
    }

    @AfterAll
    void stopSystem() {
        testKit.shutdownTestKit();
    }

    private ClientTestCluster cluster(Duration replyWait, BiFunction<Integer, InProcessCluster, RequestHandler> handlers) {
        var cluster = new ClientTestCluster(testKit.system(), replyWait, handlers);
        toClose.add(cluster);
        return cluster;
    }

    private ClientTestCluster honestCluster() {
        return cluster(Duration.ofSeconds(5), (replicaId, cores) -> cores.handler(replicaId));
    }

    private BftClient client(BftClientSettings.Builder settings) {
        var client = BftClient.create(settings.build());
        toClose.add(client);
        return client;
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS);
    }

    private static BftClientException failure(CompletionStage<?> stage) {
        var thrown = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(GUARD_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(BftClientException.class, thrown.getCause());
    }

    private static KeyValueResult submit(BftClient client, Bytes operation) throws Exception {
        return KeyValueOperations.decodeResult(Bytes.wrap(await(client.submit(operation.toByteArray()))));
    }

    private static KeyValueResult put(BftClient client, String value) throws Exception {
        return submit(client, KeyValueOperations.put(KEY, Bytes.ofUtf8(value)));
    }

    private static ReadResult read(BftClient client) throws Exception {
        return await(client.read(KeyValueOperations.get(KEY).toByteArray()));
    }

    private static KeyValueResult value(ReadResult read) {
        return KeyValueOperations.decodeResult(read.result());
    }

    private static KeyValueResult ok(String value) {
        return KeyValueResult.ok(Optional.of(Bytes.ofUtf8(value)));
    }

    @Test
    void putGetCompareAndSetAndDeleteAgreeAcrossFourReplicas() throws Exception {
        var client = client(honestCluster().clientSettings("alice"));

        assertEquals(KeyValueResult.ok(Optional.empty()), put(client, "red"));
        assertEquals(ok("red"), submit(client, KeyValueOperations.get(KEY)));
        assertEquals(KeyValueResult.compareFailed(Optional.of(Bytes.ofUtf8("red"))), submit(client,
                KeyValueOperations.compareAndSet(KEY, Optional.of(Bytes.ofUtf8("blue")), Bytes.ofUtf8("green"))));
        assertEquals(KeyValueResult.ok(Optional.empty()), submit(client,
                KeyValueOperations.compareAndSet(KEY, Optional.of(Bytes.ofUtf8("red")), Bytes.ofUtf8("green"))));
        assertEquals(ok("green"), submit(client, KeyValueOperations.delete(KEY)));
        assertEquals(KeyValueResult.notFound(), submit(client, KeyValueOperations.get(KEY)));
    }

    @Test
    void requestsIssuedWithoutWaitingRunOneAtATimeInCallOrder() throws Exception {
        var client = client(honestCluster().clientSettings("bob"));
        List<CompletionStage<byte[]>> results = new ArrayList<>();
        for (int index = 1; index <= 12; index++) {
            results.add(client.submit(KeyValueOperations.put(KEY, Bytes.ofUtf8("v" + index)).toByteArray()));
        }

        // Each put returns the value before it, so the results prove the order of execution.
        assertEquals(KeyValueResult.ok(Optional.empty()), KeyValueOperations.decodeResult(Bytes.wrap(await(results.get(0)))));
        for (int index = 2; index <= 12; index++) {
            assertEquals(ok("v" + (index - 1)),
                    KeyValueOperations.decodeResult(Bytes.wrap(await(results.get(index - 1)))));
        }
    }

    @Test
    void aReadTakesTheReadOnlyPathWhenTwoFPlusOneRepliesMatch() throws Exception {
        var client = client(honestCluster().clientSettings("carol"));
        put(client, "red");

        ReadResult read = read(client);

        assertEquals(ok("red"), value(read));
        assertFalse(read.fellBack());
        assertEquals(Optional.empty(), read.fallbackReason());
        assertEquals(0, client.readOnlyFallbacks());
    }

    @Test
    void aReplicaForgingReplySignaturesIsOutvoted() throws Exception {
        var cluster = cluster(Duration.ofSeconds(5), (replicaId, cores) -> replicaId == 2
                ? ByzantineHandlers.forgingSignatures(cores.handler(replicaId), cores.codec())
                : cores.handler(replicaId));
        var client = client(cluster.clientSettings("dave"));

        assertEquals(KeyValueResult.ok(Optional.empty()), put(client, "red"));
        assertEquals(ok("red"), put(client, "blue"));
        ReadResult read = read(client);
        assertEquals(ok("blue"), value(read));
        assertFalse(read.fellBack(), () -> read.fallbackReason().orElse(""));
    }

    @Test
    void aReplicaSigningItsRepliesInsteadOfAuthenticatingThemIsNotCounted() throws Exception {
        var cluster = cluster(Duration.ofSeconds(5), (replicaId, cores) -> replicaId == 2
                ? ByzantineHandlers.signingInsteadOfAuthenticating(cores.handler(replicaId), cores.codec(),
                        cores.keyPair(replicaId))
                : cores.handler(replicaId));
        cluster.stopEndpoint(3);
        var client = client(cluster.clientSettings("oscar").maxAttempts(2));

        assertEquals(KeyValueResult.ok(Optional.empty()), put(client, "red"));
        ReadResult read = read(client);
        assertTrue(read.fellBack(), "2f+1 read-only votes are out of reach when replica 2's signed reply does not count");
    }

    @Test
    void aReplicaLyingWithAValidSignatureIsOutvoted() throws Exception {
        var cluster = cluster(Duration.ofSeconds(5), (replicaId, cores) -> replicaId == 1
                ? ByzantineHandlers.lying(cores.handler(replicaId), cores.codec(), cores.keyPair(replicaId),
                        KeyValueOperations.put(KEY, Bytes.ofUtf8("lie")))
                : cores.handler(replicaId));
        var client = client(cluster.clientSettings("erin"));

        assertEquals(KeyValueResult.ok(Optional.empty()), put(client, "red"));
        assertEquals(ok("red"), submit(client, KeyValueOperations.get(KEY)));
        assertEquals(ok("red"), value(read(client)));
    }

    @Test
    void oneReplicaDownDoesNotStopTheClient() throws Exception {
        var cluster = honestCluster();
        cluster.crash(3);
        var client = client(cluster.clientSettings("frank"));

        assertEquals(KeyValueResult.ok(Optional.empty()), put(client, "red"));
        assertEquals(ok("red"), put(client, "blue"));
        ReadResult read = read(client);
        assertEquals(ok("blue"), value(read));
        assertFalse(read.fellBack(), () -> read.fallbackReason().orElse(""));
    }

    @Test
    void withFPlusOneReplicasDownTheClientTimesOutAndDescribesEveryReplica() throws Exception {
        var cluster = cluster(Duration.ofMillis(250), (replicaId, cores) -> cores.handler(replicaId));
        cluster.crash(2);
        cluster.crash(3);
        var client = client(cluster.clientSettings("grace").maxAttempts(3));

        BftClientException error = failure(client.submit(KeyValueOperations.put(KEY, Bytes.ofUtf8("red")).toByteArray()));

        assertEquals(BftClientException.Kind.TIMED_OUT, error.kind());
        assertEquals(1, error.requestNumber());
        String message = error.getMessage();
        assertTrue(message.startsWith("request 1 timed out after 3 attempts: 0 matching replies of 2 needed; "), message);
        assertTrue(message.contains("replicas [0,1] answered 504 REPLY_TIMEOUT (reply timeout: no reply within 250 ms"),
                message);
        assertTrue(message.contains("replicas [2,3] did not answer (connection refused)"), message);
    }

    @Test
    void theTimeoutMessageSaysWhichRepliesMatchedWhoWasSilentAndWhoForged() throws Exception {
        var cluster = cluster(Duration.ofSeconds(5), (replicaId, cores) -> replicaId == 1
                ? ByzantineHandlers.forgingSignatures(cores.handler(replicaId), cores.codec())
                : cores.handler(replicaId));
        cluster.stopEndpoint(2);
        cluster.stopEndpoint(3);
        var client = client(cluster.clientSettings("heidi").maxAttempts(3));

        BftClientException error = failure(client.submit(KeyValueOperations.put(KEY, Bytes.ofUtf8("red")).toByteArray()));

        assertEquals(BftClientException.Kind.TIMED_OUT, error.kind());
        assertEquals("request 1 timed out after 3 attempts: 1 matching reply of 2 needed (replicas [0]); "
                + "replica 1 sent a reply with a bad authenticator; replicas [2,3] did not answer (connection refused)",
                error.getMessage());
    }

    @Test
    void aReadFallsBackExplicitlyToAnOrderedRequestWhenReadOnlyRepliesDisagree() throws Exception {
        var cluster = cluster(Duration.ofSeconds(5), (replicaId, cores) -> replicaId == 1
                ? ByzantineHandlers.lying(cores.handler(replicaId), cores.codec(), cores.keyPair(replicaId),
                        Bytes.ofUtf8("lie"))
                : cores.handler(replicaId));
        cluster.stopEndpoint(3);
        var client = client(cluster.clientSettings("ivan"));
        put(client, "red");

        ReadResult read = read(client);

        assertEquals(ok("red"), value(read));
        assertTrue(read.fellBack());
        // The client falls back as soon as 2f+1 matching replies are out of reach, which needs the lie and
        // the refused connection; whether the last honest reply came in before that depends on scheduling.
        String reason = read.fallbackReason().orElseThrow();
        assertTrue(reason.startsWith("read-only request 2 got "), reason);
        assertTrue(reason.contains(" of 3 needed (replicas ["), reason);
        assertTrue(reason.contains("sent a different result"), reason);
        assertTrue(reason.endsWith("replica 3 did not answer (connection refused)"), reason);
        assertEquals(1, client.readOnlyFallbacks());
        // The fallback was ordered as request 3; the next request is 4, and the replicas accept it.
        assertEquals(ok("red"), put(client, "blue"));
    }

    @Test
    void aRetransmissionReachesReplicasThatRefusedTheFirstAttempt() throws Exception {
        var submissions = new ArrayList<AtomicInteger>();
        for (int replicaId = 0; replicaId < InProcessCluster.REPLICA_COUNT; replicaId++) {
            submissions.add(new AtomicInteger());
        }
        // Only the primary (replica 0) takes the first attempt; it orders the request with all four cores.
        var cluster = cluster(Duration.ofSeconds(5), (replicaId, cores) -> replicaId == 0 ? cores.handler(0)
                : ByzantineHandlers.unavailableAtFirst(cores.handler(replicaId), 1, submissions.get(replicaId)));
        var client = client(cluster.clientSettings("judy"));

        assertEquals(KeyValueResult.ok(Optional.empty()), put(client, "red"));

        // The first attempt got one valid reply (replica 0); the second matching one can only have come
        // from a retransmission, which the replica answered from its reply cache.
        long retransmittedTo = submissions.stream().filter(count -> count.get() >= 2).count();
        assertTrue(retransmittedTo >= 1, "no replica got a retransmission: " + submissions);
        // The put ran once: the next put sees its value.
        assertEquals(ok("red"), put(client, "blue"));
    }

    @Test
    void aReusedRequestNumberIsRefusedAsStaleByTheReplicas() throws Exception {
        var cluster = honestCluster();
        var first = client(cluster.clientSettings("mallory"));
        put(first, "one");
        put(first, "two");
        put(first, "three");
        first.close();
        var restarted = client(cluster.clientSettings("mallory").firstRequestNumber(1));

        BftClientException error = failure(restarted.submit(KeyValueOperations.put(KEY, Bytes.ofUtf8("x")).toByteArray()));

        assertEquals(BftClientException.Kind.REFUSED, error.kind());
        assertTrue(error.getMessage().startsWith("request 1 was refused: 0 matching replies of 2 needed; "),
                error.getMessage());
        assertTrue(error.getMessage().contains("409 STALE_REQUEST (stale request: request 1 is older than the last executed 3)"),
                error.getMessage());
        var resumed = client(cluster.clientSettings("mallory").firstRequestNumber(4));
        assertEquals(ok("three"), put(resumed, "four"));
    }

    @Test
    void closingFailsTheOutstandingAndQueuedRequestsAndLaterCalls() throws Exception {
        var cluster = cluster(Duration.ofSeconds(60), (replicaId, cores) -> cores.handler(replicaId));
        for (int replicaId = 0; replicaId < InProcessCluster.REPLICA_COUNT; replicaId++) {
            cluster.cores().crash(replicaId);
        }
        var client = BftClient.create(cluster.clientSettings("oscar").build());
        CompletionStage<byte[]> outstanding = client.submit(new byte[] {1});
        CompletionStage<ReadResult> queued = client.read(new byte[] {2});

        client.close();

        assertEquals(BftClientException.Kind.CLOSED, failure(outstanding).kind());
        assertEquals(BftClientException.Kind.CLOSED, failure(queued).kind());
        assertEquals(BftClientException.Kind.CLOSED, failure(client.submit(new byte[] {3})).kind());
    }

    @Test
    void callsFromManyThreadsAllComplete() throws Exception {
        var client = client(honestCluster().clientSettings("peggy"));
        List<CompletableFuture<byte[]>> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int thread = 0; thread < 4; thread++) {
            int id = thread;
            threads.add(new Thread(() -> {
                for (int index = 0; index < 3; index++) {
                    var key = Bytes.ofUtf8("thread-" + id + "-" + index);
                    var result = client.submit(KeyValueOperations.put(key, Bytes.ofUtf8("v")).toByteArray());
                    synchronized (results) {
                        results.add(result.toCompletableFuture());
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread thread : threads) {
            thread.join();
        }

        for (CompletableFuture<byte[]> result : results) {
            assertEquals(KeyValueResult.ok(Optional.empty()), KeyValueOperations.decodeResult(Bytes.wrap(await(result))));
        }
        assertEquals(12, results.size());
    }

    @Test
    void theHttpTransportVotesTheSameWay() throws Exception {
        var client = client(honestCluster().clientSettings("trent").transport(BftClientSettings.Transport.HTTP));
        assertEquals(KeyValueResult.ok(Optional.empty()), put(client, "red"));
        assertEquals(ok("red"), value(read(client)));
        assertEquals(ok("red"), put(client, "blue"));
    }

    /** Clients that share connections still sign and vote on their own: each reads its own writes. */
    @Test
    void clientsSharingConnectionsEachGetTheirOwnResults() throws Exception {
        var cluster = honestCluster();
        var connections = ClientConnections.open(cluster.clientSettings("shared").build());
        toClose.add(connections);
        List<BftClient> clients = new ArrayList<>();
        for (int index = 0; index < 6; index++) {
            var client = BftClient.create(cluster.clientSettings("sharing-" + index).build(), connections);
            toClose.add(client);
            clients.add(client);
        }
        List<CompletableFuture<byte[]>> writes = new ArrayList<>();
        for (int index = 0; index < clients.size(); index++) {
            writes.add(clients.get(index).submit(KeyValueOperations.put(Bytes.ofUtf8("own-" + index),
                    Bytes.ofUtf8("value-" + index)).toByteArray()).toCompletableFuture());
        }
        for (CompletableFuture<byte[]> write : writes) {
            assertEquals(KeyValueResult.ok(Optional.empty()), KeyValueOperations.decodeResult(Bytes.wrap(await(write))));
        }
        clients.get(0).close();
        for (int index = 1; index < clients.size(); index++) {
            assertEquals(KeyValueResult.ok(Optional.of(Bytes.ofUtf8("value-" + index))), submit(clients.get(index),
                    KeyValueOperations.get(Bytes.ofUtf8("own-" + index))), "client " + index + " after one closed");
        }
    }

    @Test
    void connectionsToOtherEndpointsAreRefused() {
        var connections = ClientConnections.open(honestCluster().clientSettings("one").build());
        toClose.add(connections);
        var other = honestCluster().clientSettings("two").build();
        var refused = assertThrows(IllegalArgumentException.class, () -> BftClient.create(other, connections));
        assertTrue(refused.getMessage().startsWith("the connections reach "), refused.getMessage());
    }

    /** A replica's stream that ended is opened again by the next request that goes to it. */
    @Test
    void aLostStreamIsOpenedAgainWhenTheReplicaIsBack() throws Exception {
        var cluster = honestCluster();
        var client = client(cluster.clientSettings("victor"));
        assertEquals(KeyValueResult.ok(Optional.empty()), put(client, "red"));
        cluster.stopEndpoint(3);
        assertEquals(ok("red"), put(client, "green"));
        cluster.restartEndpoint(3);
        cluster.stopEndpoint(1);
        cluster.stopEndpoint(2);
        // f+1 = 2 matching replies now need replica 3, whose stream the client must have opened again.
        assertEquals(ok("green"), put(client, "blue"));
    }
}
