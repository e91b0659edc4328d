package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueResult;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Four replicas as four ActorSystems on 127.0.0.1 in this JVM, each a sharded entity pinned to its node,
 * talking over Artery through the replica serializer.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaClusterTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private LocalCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = LocalCluster.start(1, Set.of());
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void threeClientsAgreeWithSequentialExecutionOfTheAgreedLog() {
        var load = new ClientLoad(cluster, "client", 3, 20_261_125L);
        ExecutorService executor = ClientLoad.executor(3);
        try {
            LocalCluster.await(load.run(500, executor), Duration.ofMinutes(10));
        } finally {
            executor.shutdownNow();
        }
        assertEquals(500, load.outcomes().size());
        assertEquals(List.of(), load.rejections(), "a correct client's requests are never rejected");

        Map<Integer, ExecutedState> states = cluster.awaitConvergence();
        assertEquals(4, states.size());
        assertEquals(1, states.values().stream().map(ExecutedState::applicationStateDigest).distinct().count(),
                "replicas that executed the same sequence numbers have the same state: " + states);
        ExecutedState agreed = states.get(0);
        for (int replica = 0; replica < cluster.size(); replica++) {
            // Every replica's own ordered log replays to the same results and state.
            List<CommittedEntry> log = AgreedLog.read(cluster.node(replica), agreed.lastExecutedSequence(),
                    testKit.system());
            AgreedLog.assertMatchesSequentialExecution(log, load.outcomes(), states.get(replica), cluster.membership);
        }
    }

    @Test
    @Order(2)
    void badClientInputIsRejectedWithAClearReasonAndChangesNothing() {
        var client = new VotingTestClient(Ed25519KeyPair.fromSeed(LocalCluster.seed("bad-input-client", 0)),
                cluster.membership, cluster::liveNodes);
        Bytes first = client.envelope(1, KeyValueOperations.put(Bytes.ofUtf8("guarded"), Bytes.ofUtf8("one")));
        Bytes second = client.envelope(2, KeyValueOperations.put(Bytes.ofUtf8("guarded"), Bytes.ofUtf8("two")));
        client.await(1, first);
        Bytes secondResult = client.await(2, second);
        Map<Integer, ExecutedState> before = cluster.awaitConvergence();

        var codec = new ProtobufCodec(WireLimits.defaults());
        var forger = Ed25519KeyPair.fromSeed(LocalCluster.seed("forger", 0));
        List<Bytes> garbage = List.of(Bytes.ofUtf8("definitely not protobuf"), randomBytes(512), Bytes.EMPTY);
        for (ReplicaNode node : cluster.liveNodes()) {
            for (Bytes bytes : garbage) {
                assertRejected(node, bytes, RejectionReason.MALFORMED);
            }
            assertRejected(node, forged(client, forger, codec), RejectionReason.BAD_SIGNATURE);
            assertRejected(node, client.envelope(3, Bytes.wrap(new byte[LocalCluster.REQUEST_MAX_BYTES + 1])),
                    RejectionReason.OVERSIZED);
            assertRejected(node, Bytes.wrap(new byte[WireLimits.DEFAULT_MAX_ENVELOPE_BYTES + 1]),
                    RejectionReason.OVERSIZED);
            assertRejected(node, first, RejectionReason.STALE_REQUEST);
            assertRejected(node, prepareFromReplica(codec), RejectionReason.NOT_A_CLIENT_REQUEST);
        }
        // Replaying the latest request is a retransmission: the cached reply comes back and nothing runs again.
        assertEquals(secondResult, client.await(2, second));

        assertEquals(before, cluster.executedStates(), "rejected input changed a replica's state");
        for (ReplicaNode node : cluster.liveNodes()) {
            assertTrue(node.metrics().count("client.rejected.MALFORMED") >= garbage.size());
            assertTrue(node.metrics().count("dropped.BAD_SIGNATURE") >= 1);
            assertTrue(node.metrics().count("dropped.STALE_REQUEST") >= 1);
        }
        KeyValueResult stored = KeyValueOperations.decodeResult(
                client.await(3, client.envelope(3, KeyValueOperations.get(Bytes.ofUtf8("guarded")))));
        assertEquals(Bytes.ofUtf8("two"), stored.value().orElseThrow(), "the forged request did not run");
    }

    private static void assertRejected(ReplicaNode node, Bytes envelope, RejectionReason expected) {
        ClientResponse response = LocalCluster.await(node.submit(envelope).toCompletableFuture(),
                Duration.ofSeconds(60));
        ClientResponse.Rejected rejected = assertInstanceOf(ClientResponse.Rejected.class, response,
                () -> "replica " + node.replicaId() + " accepted input that should be " + expected);
        assertEquals(expected, rejected.reason(), rejected::message);
        assertTrue(rejected.message().startsWith(expected.label()), rejected::message);
        assertTrue(rejected.message().length() > expected.label().length() + 2, "the reason explains itself");
    }

    /** A request in the client's name, signed by somebody else. */
    private static Bytes forged(VotingTestClient victim, Ed25519KeyPair forger, ProtobufCodec codec) {
        var request = new ClientRequest(victim.clientId(), 3,
                KeyValueOperations.put(Bytes.ofUtf8("guarded"), Bytes.ofUtf8("forged")), false);
        Signed<ClientRequest> signed = new MessageSigner(forger.signer(), codec).sign(request);
        return codec.encodeEnvelope(new Envelope.MessageEnvelope(signed));
    }

    private Bytes prepareFromReplica(ProtobufCodec codec) {
        var signer = new MessageSigner(cluster.keys.get(1).signer(), codec);
        var prepare = new Prepare(0, 1, io.concordat.crypto.Sha256.of(Bytes.ofUtf8("batch")), 1);
        return codec.encodeEnvelope(new Envelope.MessageEnvelope(signer.sign(prepare)));
    }

    private static Bytes randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(7).nextBytes(bytes);
        return Bytes.wrap(bytes);
    }
}
