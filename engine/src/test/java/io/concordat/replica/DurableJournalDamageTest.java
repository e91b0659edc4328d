package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.persistence.JdbcJournalConfig;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Signable;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One replica on a real H2 file: it recovers what it wrote after its ActorSystem stops, and when a journal
 * row is damaged it refuses to start, says why and how to recover, and serves nothing.
 */
class DurableJournalDamageTest {
    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final java.util.List<Ed25519KeyPair> keys = new ArrayList<>();
    private final Ed25519KeyPair clientKey = Ed25519KeyPair.fromSeed(LocalCluster.seed("damage-test-client", 0));
    private final Membership membership;

    @TempDir
    Path data;

    DurableJournalDamageTest() {
        var publicKeys = new ArrayList<PublicKey>();
        for (int id = 0; id < 4; id++) {
            keys.add(Ed25519KeyPair.fromSeed(LocalCluster.seed("damage-test-replica", id)));
            publicKeys.add(keys.get(id).publicKey());
        }
        membership = new Membership(1, publicKeys);
    }

    /** One ActorSystem with the H2 journal in {@code data}, hosting replica 0 with probes as its peers. */
    private final class Node implements AutoCloseable {
        final ActorTestKit testKit;
        final Map<Integer, TestProbe<ReplicaActor.Command>> peers = new HashMap<>();
        final ReplicaMetrics metrics = new ReplicaMetrics();
        final ActorRef<ReplicaActor.Command> replica;
        final java.util.Optional<JournalAnchor> anchor;

        Node() {
            this(true);
        }

        Node(boolean spawnReplica) {
            this(journalFile(), spawnReplica);
        }

        Node(Path databaseFile) {
            this(databaseFile, true);
        }

        Node(Path databaseFile, boolean spawnReplica) {
            testKit = ActorTestKit.create("damage-test", JdbcJournalConfig.h2(databaseFile)
                    .withFallback(ConfigFactory.load()));
            LocalCluster.await(JdbcJournalConfig.createSchemaIfNotExists(testKit.system()).toCompletableFuture(),
                    Duration.ofSeconds(60));
            for (int id = 1; id < 4; id++) {
                peers.put(id, testKit.createTestProbe());
            }
            // As a node does: the anchor opens once the database file exists.
            anchor = ReplicaNode.openAnchor(settings().persistence(), 0);
            replica = spawnReplica ? testKit.spawn(behavior()) : null;
        }

        org.apache.pekko.actor.typed.Behavior<ReplicaActor.Command> behavior() {
            ReplicaActor.Peers network = (peer, message) -> peers.get(peer).ref().tell(message);
            return DurableReplicaActor.create(new ReplicaActor.Wiring(0, membership, LocalCluster.PROTOCOL,
                    keys.get(0).signer(), new Ed25519Verifier(), codec, KeyValueStore::new, settings(), network,
                    new RetainedLog(), metrics, System::nanoTime), anchor);
        }

        ReplicaSettings settings() {
            return ReplicaSettings.defaults().withTickInterval(Duration.ofHours(1))
                    .withPersistence(ReplicaSettings.defaults().persistence().withH2(data));
        }

        void order(long sequence) {
            TestProbe<ClientResponse> client = testKit.createTestProbe();
            replica.tell(new ReplicaActor.ClientSubmit(request(sequence), client.ref()));
            Envelope.PrePrepareEnvelope prePrepare = nextPrePrepare();
            Digest digest = prePrepare.prePrepare().body().batchDigest();
            for (int peer = 1; peer <= 2; peer++) {
                replica.tell(peerMessage(peer, new Prepare(0, sequence, digest, peer)));
            }
            for (int peer = 1; peer <= 2; peer++) {
                replica.tell(peerMessage(peer, new Commit(0, sequence, digest, peer)));
            }
            // The first write to a new H2 file can take seconds on a loaded machine.
            assertInstanceOf(ClientResponse.Replied.class, client.receiveMessage(Duration.ofSeconds(30)));
        }

        ReplicaStatus status() {
            TestProbe<ReplicaStatus> probe = testKit.createTestProbe();
            replica.tell(new ReplicaActor.GetStatus(probe.ref()));
            return probe.receiveMessage(Duration.ofSeconds(30));
        }

        private Envelope.PrePrepareEnvelope nextPrePrepare() {
            while (true) {
                Bytes bytes = ((ReplicaActor.PeerMessage) peers.get(1).receiveMessage(Duration.ofSeconds(30)))
                        .envelope();
                Envelope envelope = ((DecodeResult.Decoded) codec.decodeEnvelope(bytes)).envelope();
                if (envelope instanceof Envelope.PrePrepareEnvelope prePrepare) {
                    return prePrepare;
                }
            }
        }

        @Override
        public void close() {
            testKit.shutdownTestKit();
            anchor.ifPresent(JournalAnchor::close);
        }
    }

    @Test
    void aReplicaRecoversFromItsH2FileAndRefusesToStartWhenARowIsDamaged() throws SQLException {
        ReplicaStatus before;
        try (var node = new Node()) {
            node.order(1);
            node.order(2);
            before = node.status();
            assertTrue(node.metrics.count("journal.writes") >= 3);
        }
        try (var node = new Node()) {
            assertEquals(before.lastExecutedSequence(), node.status().lastExecutedSequence());
            assertEquals(before.highWatermark(), node.status().highWatermark());
        }

        damageJournalRow(2);

        try (var node = new Node(false)) {
            TestProbe<Object> watcher = node.testKit.createTestProbe();
            LoggingTestKit.error("wipe this replica's data").withMessageContains("refuses to start")
                    .expect(node.testKit.system(), () -> {
                        ActorRef<ReplicaActor.Command> replica = node.testKit.spawn(node.behavior());
                        watcher.expectTerminated(replica, Duration.ofSeconds(30));
                        return null;
                    });
            assertEquals(1, node.metrics.count("replica.recovery.failed"));
        }
    }

    /**
     * Truncation at several points. H2 writes each commit as a chunk and reuses free space, so cutting the file
     * does not always touch the newest version; what must never happen is a start from partial state. Cut to
     * just past the file headers, the file holds no version at all, and the node must refuse.
     */
    @Test
    void aNodeOnATruncatedH2FileRefusesToStartOrStartsWithEverything() throws Exception {
        // Without the journal anchor, H2 opened the file cut to 8192 bytes as an empty database and the replica
        // started with nothing: it had forgotten every message it sent.
        PersistenceSettings persistence = ReplicaSettings.defaults().persistence().withH2(data);
        Path replicaData = ReplicaNode.h2File(persistence, 0);
        java.nio.file.Files.createDirectories(replicaData.getParent());
        try (var node = new Node(replicaData)) {
            node.order(1);
            node.order(2);
        }
        Path file = replicaData.resolveSibling("journal.mv.db");
        Path intact = data.resolve("intact.mv.db");
        java.nio.file.Files.copy(file, intact);
        long size = java.nio.file.Files.size(intact);
        var configuration = new ReplicaNodeConfiguration(0, membership, new io.concordat.membership.ReplicaAddresses(
                "concordat", Map.of(
                        0, new io.concordat.membership.ReplicaAddress("127.0.0.1", LocalCluster.freePort()),
                        1, new io.concordat.membership.ReplicaAddress("127.0.0.1", 1),
                        2, new io.concordat.membership.ReplicaAddress("127.0.0.1", 2),
                        3, new io.concordat.membership.ReplicaAddress("127.0.0.1", 3))),
                LocalCluster.PROTOCOL, ReplicaSettings.defaults().withPersistence(persistence));

        int refusals = 0;
        for (long length : new long[] {8192, size / 4, size / 2, 3 * size / 4, size - 4096}) {
            java.nio.file.Files.copy(intact, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
                channel.truncate(length);
            }
            ReplicaNode node;
            try {
                node = ReplicaNode.start(configuration, keys.get(0).signer(), KeyValueStore::new);
            } catch (IllegalStateException refused) {
                refusals++;
                assertTrue(refused.getMessage().contains("cannot be opened: File corrupted"), refused.getMessage());
                assertTrue(refused.getMessage().contains("wipe this replica's data directory"), refused.getMessage());
                continue;
            }
            try {
                // The journal anchor catches what H2 does not: a replica that refused to start answers no
                // status, and tells a client why.
                java.util.Optional<ReplicaStatus> status = statusUnlessRefused(node);
                if (status.isEmpty()) {
                    var answer = node.submit(request(3)).toCompletableFuture().get(30,
                            java.util.concurrent.TimeUnit.SECONDS);
                    var refused = assertInstanceOf(ClientResponse.Rejected.class, answer);
                    assertEquals(RejectionReason.REPLICA_HALTED, refused.reason(), refused.detail());
                    assertTrue(refused.detail().contains("journal was cut short"), refused.detail());
                    assertTrue(refused.detail().contains("wipe this replica's data directory"), refused.detail());
                    refusals++;
                    continue;
                }
                assertEquals(2, status.get().lastExecutedSequence(), "a node on a file cut to " + length + " of " + size
                        + " bytes started, so it must have everything it wrote");
            } finally {
                node.terminate().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        assertTrue(refusals >= 1, "a file cut to just past its headers holds no version and must be refused");
        assertTrue(java.nio.file.Files.exists(replicaData.resolveSibling("journal.anchor")));
    }

    /** The replica's status once it recovered, or empty once it refused to start (it answers no status then). */
    private static java.util.Optional<ReplicaStatus> statusUnlessRefused(ReplicaNode node) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (node.metrics().count("replica.recovery.failed") > 0) {
                return java.util.Optional.empty();
            }
            try {
                return java.util.Optional.of(node.status().toCompletableFuture().get(1,
                        java.util.concurrent.TimeUnit.SECONDS));
            } catch (java.util.concurrent.TimeoutException notYet) {
                // still recovering, or refused: look again
            }
        }
        throw new AssertionError("replica neither recovered nor refused to start within 60 s");
    }

    /** Where a node keeps replica 0's H2 database, as the anchor expects it. */
    private Path journalFile() {
        return ReplicaNode.h2File(ReplicaSettings.defaults().persistence().withH2(data), 0);
    }

    /** Overwrites one stored event with bytes that are not an event, as a damaged disk might. */
    private void damageJournalRow(long sequenceNumber) throws SQLException {
        String url = "jdbc:h2:file:" + journalFile().toAbsolutePath() + ";DATABASE_TO_UPPER=false";
        try (var connection = DriverManager.getConnection(url, "", "");
                var update = connection.prepareStatement(
                        "UPDATE \"event_journal\" SET \"event_payload\" = ? WHERE \"sequence_number\" = ?")) {
            update.setBytes(1, new byte[] {0x0a, (byte) 0xff, 0x01});
            update.setLong(2, sequenceNumber);
            assertEquals(1, update.executeUpdate(), "one row damaged");
        }
    }

    private Bytes request(long number) {
        var signed = new MessageSigner(clientKey.signer(), codec).sign(new ClientRequest(clientKey.publicKey(), number,
                KeyValueOperations.put(Bytes.ofUtf8("key-" + number), Bytes.ofUtf8("value")), false));
        return codec.encodeEnvelope(new Envelope.MessageEnvelope(signed));
    }

    private ReplicaActor.PeerMessage peerMessage(int from, Signable body) {
        var signed = new MessageSigner(keys.get(from).signer(), codec).sign(body);
        return new ReplicaActor.PeerMessage(codec.encodeEnvelope(new Envelope.MessageEnvelope(signed)));
    }
}
