package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Four replicas on the embedded H2 journal, each in its own ActorSystem on loopback: every replica stops
 * at once, as in a power loss, and after the restart every operation a client saw acknowledged is still
 * there and every replica has the same state.
 */
class DurableClusterTest {
    private static final Logger LOG = LoggerFactory.getLogger(DurableClusterTest.class);
    /** More clients give bigger batches; {@code -Dconcordat.durable.clients=16} measures the journal under load. */
    private static final int CLIENTS = Integer.getInteger("concordat.durable.clients", 3);
    private static final int WRITES_PER_CLIENT = Integer.getInteger("concordat.durable.writes-per-client", 25);

    @TempDir
    Path data;

    @Test
    void everyAcknowledgedOperationSurvivesAStopOfEveryReplicaAtOnce() {
        // Small count-based snapshots, so that the journal is also trimmed between checkpoints.
        PersistenceSettings persistence = ReplicaSettings.defaults().persistence().withH2(data)
                .withSnapshotEveryEvents(100);
        Map<Integer, Long> eventsWritten = runScenario(persistence);
        for (int replica = 0; replica < 4; replica++) {
            assertTrue(Files.exists(data.resolve("replica-" + replica).resolve("journal.mv.db")),
                    "replica " + replica + " keeps its own H2 database under the data directory");
            long rows = journalRows(ReplicaNode.h2File(persistence, replica));
            assertTrue(rows > 0 && rows < eventsWritten.get(replica), "replica " + replica + " keeps " + rows
                    + " journal rows of the " + eventsWritten.get(replica) + " events it wrote: the journal before "
                    + "its snapshots was deleted");
        }
    }

    private static long journalRows(Path databaseFile) {
        String url = "jdbc:h2:file:" + databaseFile.toAbsolutePath() + ";DATABASE_TO_UPPER=false";
        try (var connection = java.sql.DriverManager.getConnection(url, "", "");
                var count = connection.createStatement().executeQuery("SELECT COUNT(*) FROM \"event_journal\"")) {
            count.next();
            return count.getLong(1);
        } catch (java.sql.SQLException e) {
            throw new AssertionError("cannot read " + databaseFile, e);
        }
    }

    /**
     * Writes from several clients, stops every node at once, starts them again on the same journal, and
     * checks that every acknowledged write is there and that every replica has the state from before.
     *
     * @return how many events each replica wrote to its journal, over both runs
     */
    static Map<Integer, Long> runScenario(PersistenceSettings persistence) {
        Map<Integer, Long> eventsWritten = new TreeMap<>();
        LocalCluster cluster = LocalCluster.start(1, Set.of(0, 1, 2, 3), persistence);
        try {
            long started = System.nanoTime();
            Map<String, String> acknowledged = writeConcurrently(cluster);
            double seconds = (System.nanoTime() - started) / 1e9;
            Map<Integer, ExecutedState> before = cluster.awaitConvergence();
            assertEquals(CLIENTS * WRITES_PER_CLIENT, acknowledged.size());
            reportJournalWrites(cluster, persistence, acknowledged.size(), seconds);
            cluster.liveNodes().forEach(node -> eventsWritten.merge(node.replicaId(),
                    node.metrics().count("journal.events"), Long::sum));

            cluster = cluster.restartAll();

            Map<Integer, ExecutedState> after = cluster.awaitConvergence();
            assertEquals(4, after.size());
            assertEquals(1, after.values().stream().map(ExecutedState::applicationStateDigest).distinct().count(),
                    "every replica recovered the same state: " + after);
            assertEquals(before.get(0).applicationStateDigest(), after.get(0).applicationStateDigest(),
                    "the recovered state is the state before the stop");
            assertTrue(after.get(0).lastExecutedSequence() >= before.get(0).lastExecutedSequence());

            var reader = new VotingTestClient(Ed25519KeyPair.fromSeed(LocalCluster.seed("durable-reader", 0)),
                    cluster.membership, cluster::liveNodes);
            for (Map.Entry<String, String> write : acknowledged.entrySet()) {
                var stored = KeyValueOperations.decodeResult(reader.execute(KeyValueOperations.get(
                        Bytes.ofUtf8(write.getKey()))));
                assertEquals(Bytes.ofUtf8(write.getValue()), stored.value().orElseThrow(
                        () -> new AssertionError("acknowledged key " + write.getKey() + " was lost")));
            }
            cluster.liveNodes().forEach(node -> eventsWritten.merge(node.replicaId(),
                    node.metrics().count("journal.events"), Long::sum));
        } finally {
            cluster.close();
        }
        return eventsWritten;
    }

    /** Each client writes its own keys, one request at a time; returns every write that was acknowledged. */
    private static Map<String, String> writeConcurrently(LocalCluster cluster) {
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        ExecutorService executor = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<CompletableFuture<Void>> clients = new ArrayList<>();
            for (int index = 0; index < CLIENTS; index++) {
                int client = index;
                clients.add(CompletableFuture.runAsync(() -> {
                    var writer = new VotingTestClient(Ed25519KeyPair.fromSeed(LocalCluster.seed("durable-writer",
                            client)), cluster.membership, cluster::liveNodes);
                    for (int write = 0; write < WRITES_PER_CLIENT; write++) {
                        String key = "client-" + client + "-key-" + write;
                        String value = "value-" + write;
                        var result = KeyValueOperations.decodeResult(writer.execute(KeyValueOperations.put(
                                Bytes.ofUtf8(key), Bytes.ofUtf8(value))));
                        assertTrue(result.isOk(), () -> "put " + key + " failed: " + result);
                        acknowledged.put(key, value);
                    }
                }, executor));
            }
            clients.forEach(client -> LocalCluster.await(client, Duration.ofMinutes(5)));
        } finally {
            executor.shutdownNow();
        }
        return new TreeMap<>(acknowledged);
    }

    /** Journal writes per second and operations per write, per replica, for docs/benchmarks.md. */
    private static void reportJournalWrites(LocalCluster cluster, PersistenceSettings persistence, int operations,
            double seconds) {
        for (ReplicaNode node : cluster.liveNodes()) {
            long writes = node.metrics().count("journal.writes");
            long events = node.metrics().count("journal.events");
            long steps = node.metrics().count("journal.steps");
            assertTrue(writes > 0, "replica " + node.replicaId() + " wrote to its journal");
            LOG.info("{} journal, replica {}: {} journal writes ({} events, {} protocol steps) for {} operations in "
                            + "{} s: {} writes/s, {} events/write, {} steps/write, {} operations/write",
                    persistence.journal().configName(), node.replicaId(), writes, events, steps, operations,
                    String.format("%.1f", seconds), String.format("%.0f", writes / seconds),
                    String.format("%.2f", (double) events / writes), String.format("%.2f", (double) steps / writes),
                    String.format("%.2f", (double) operations / writes));
        }
    }
}
