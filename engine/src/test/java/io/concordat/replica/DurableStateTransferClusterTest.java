package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.protocol.ReplicaStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an operator does with a replica whose journal is damaged, on the H2 journal: wipe its data and start
 * it. It catches up by state transfer, saves a snapshot right after, and a later restart recovers from that
 * snapshot to the same state as the others.
 */
class DurableStateTransferClusterTest {
    @TempDir
    Path data;

    @Test
    void aReplicaWhoseDataWasWipedCatchesUpByStateTransferAndThenRecoversFromItsOwnSnapshot() {
        PersistenceSettings persistence = ReplicaSettings.defaults().persistence().withH2(data);
        try (LocalCluster cluster = LocalCluster.start(1, Set.of(), persistence)) {
            ExecutorService executor = ClientLoad.executor(3);
            try {
                LocalCluster.await(new ClientLoad(cluster, "before", 3, 21L).run(30, executor), Duration.ofMinutes(5));
                cluster.stop(3);
                wipe(data.resolve("replica-3"));
                long lowWatermarkAtStop = status(cluster, 0).lowWatermark();
                var whileDown = new ClientLoad(cluster, "while-down", 3, 22L);
                int rounds = 0;
                while (status(cluster, 0).lowWatermark() < lowWatermarkAtStop + 2L * cluster.protocol.checkpointInterval()) {
                    LocalCluster.await(whileDown.run(60, executor), Duration.ofMinutes(5));
                    assertTrue(++rounds < 50, "the three live replicas stopped taking checkpoints");
                }

                cluster.restart(3);
                LocalCluster.await(new ClientLoad(cluster, "after", 3, 23L).run(30, executor), Duration.ofMinutes(5));
                Map<Integer, ExecutedState> transferred = cluster.awaitConvergence();
                assertEquals(1, transferred.values().stream().map(ExecutedState::applicationStateDigest).distinct()
                        .count(), "replica 3 caught up to a different state: " + transferred);
                assertTrue(status(cluster, 3).lowWatermark() > lowWatermarkAtStop + cluster.protocol.checkpointInterval(),
                        "replica 3 adopted a checkpoint the others took while it was down");

                cluster.stop(3);
                cluster.restart(3);
                Map<Integer, ExecutedState> recovered = cluster.awaitConvergence();
                assertEquals(transferred.get(0).applicationStateDigest(), recovered.get(3).applicationStateDigest(),
                        "replica 3 recovered the transferred state from its own journal and snapshot");
            } finally {
                executor.shutdownNow();
            }
        }
    }

    private static ReplicaStatus status(LocalCluster cluster, int replicaId) {
        return LocalCluster.await(cluster.node(replicaId).status().toCompletableFuture(), Duration.ofSeconds(60));
    }

    private static void wipe(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.delete(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
