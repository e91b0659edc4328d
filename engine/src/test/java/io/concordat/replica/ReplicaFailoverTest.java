package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Backups stop in the middle of the load and the others keep ordering: with f backups gone, the 2f+1
 * that remain are still a quorum (PBFT §4.2). Some stops are graceful (the node leaves the cluster and
 * its shard is handed off, then never allocated elsewhere); others look like a crash (the node just
 * disappears and the failure detector marks it unreachable; nothing downs it).
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaFailoverTest {
    private static final int OPERATIONS = 500;
    private static final int STOP_AFTER_OPERATIONS = 150;
    private static final int OPERATIONS_AFTER_STOP = 60;

    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    @Test
    void fourReplicasKeepOrderingAfterOneBackupLeaves() {
        runWithStoppedBackups(1, Set.of(), List.of(3), 4_242L);
    }

    @Test
    void sevenReplicasKeepOrderingAfterTwoBackupsStop() {
        // Replica 6's node leaves gracefully, then replica 5's node crashes (it never leaves).
        runWithStoppedBackups(2, Set.of(5), List.of(6, 5), 7_777L);
    }

    private void runWithStoppedBackups(int faultsTolerated, Set<Integer> crashStopped, List<Integer> backupsToStop,
            long seed) {
        try (LocalCluster cluster = LocalCluster.start(faultsTolerated, crashStopped)) {
            var load = new ClientLoad(cluster, "client", 3, seed);
            var afterStop = new ClientLoad(cluster, "late-client", 2, seed + 1);
            ExecutorService executor = ClientLoad.executor(5);
            try {
                CompletableFuture<Void> running = load.run(OPERATIONS, executor);
                awaitCompleted(load, running, STOP_AFTER_OPERATIONS);
                backupsToStop.forEach(cluster::stop);
                long executedAtStop = cluster.executedStates().values().stream()
                        .mapToLong(ExecutedState::lastExecutedSequence).max().orElseThrow();
                // However far the first load got meanwhile, these operations start after the stops.
                CompletableFuture<Void> late = afterStop.run(OPERATIONS_AFTER_STOP, executor);

                LocalCluster.await(running, Duration.ofMinutes(10));
                LocalCluster.await(late, Duration.ofMinutes(10));

                assertEquals(OPERATIONS, load.outcomes().size());
                assertEquals(OPERATIONS_AFTER_STOP, afterStop.outcomes().size());
                assertEquals(List.of(), load.rejections());
                assertEquals(List.of(), afterStop.rejections());
                Map<Integer, ExecutedState> states = cluster.awaitConvergence();
                assertEquals(cluster.size() - backupsToStop.size(), states.size());
                assertEquals(1, states.values().stream().map(ExecutedState::applicationStateDigest).distinct().count(),
                        "live replicas disagree: " + states);
                ExecutedState agreed = states.get(0);
                assertTrue(agreed.lastExecutedSequence() > executedAtStop, "ordering stopped with the backups");
                List<CommittedEntry> log = AgreedLog.read(cluster.node(0), agreed.lastExecutedSequence(),
                        testKit.system());
                var outcomes = new ArrayList<>(load.outcomes());
                outcomes.addAll(afterStop.outcomes());
                AgreedLog.assertMatchesSequentialExecution(log, outcomes, agreed, cluster.membership);
            } finally {
                executor.shutdownNow();
            }
        }
    }

    private static void awaitCompleted(ClientLoad load, CompletableFuture<Void> running, int operations) {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (load.completed() < operations) {
            if (running.isCompletedExceptionally()) {
                LocalCluster.await(running, Duration.ZERO);
            }
            assertTrue(System.nanoTime() < deadline, "only " + load.completed() + " operations completed");
            LocalCluster.sleep(20);
        }
    }
}
