package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.protocol.ReplicaStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A backup that is stopped, kept down while the others pass two checkpoints and collect the log it would
 * need, then started again with empty state, catches up by state transfer to the same state digest
 * (4 ActorSystems on loopback; checkpoint interval 16, window 64).
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StateTransferClusterTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    @Test
    void aBackupRestartedEmptyAfterTwoCheckpointsCatchesUpByStateTransfer() {
        try (LocalCluster cluster = LocalCluster.start(1, Set.of())) {
            ExecutorService executor = ClientLoad.executor(3);
            try {
                LocalCluster.await(new ClientLoad(cluster, "before", 3, 11L).run(60, executor), Duration.ofMinutes(5));
                cluster.stop(3);
                long lowWatermarkAtStop = lowWatermark(cluster, 0);
                var whileDown = new ClientLoad(cluster, "while-down", 3, 12L);
                int rounds = 0;
                while (lowWatermark(cluster, 0) < lowWatermarkAtStop + 2L * cluster.protocol.checkpointInterval()) {
                    LocalCluster.await(whileDown.run(60, executor), Duration.ofMinutes(5));
                    assertTrue(++rounds < 50, "the three live replicas stopped taking checkpoints");
                }

                cluster.restartEmpty(3);
                // A little more load after the restart; an idle replica would also learn from heartbeats.
                LocalCluster.await(new ClientLoad(cluster, "after", 3, 13L).run(30, executor), Duration.ofMinutes(5));

                Map<Integer, ExecutedState> states = cluster.awaitConvergence();
                assertEquals(4, states.size());
                assertEquals(1, states.values().stream().map(ExecutedState::applicationStateDigest).distinct().count(),
                        "replica 3 reached a different state: " + states);
                ReplicaStatus restarted = LocalCluster.await(cluster.node(3).status().toCompletableFuture(),
                        Duration.ofSeconds(60));
                assertTrue(restarted.lowWatermark() > lowWatermarkAtStop + cluster.protocol.checkpointInterval(),
                        "replica 3 adopted a checkpoint the others took while it was down: " + restarted);
            } finally {
                executor.shutdownNow();
            }
        }
    }

    private static long lowWatermark(LocalCluster cluster, int replicaId) {
        return LocalCluster.await(cluster.node(replicaId).status().toCompletableFuture(), Duration.ofSeconds(60))
                .lowWatermark();
    }
}
