package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.membership.PeerReachability;
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
        runWithStoppedReplicas(1, Set.of(), List.of(3), 4_242L);
    }

    @Test
    void sevenReplicasKeepOrderingAfterTwoBackupsStop() {
        // Replica 6's node leaves gracefully, then replica 5's node crashes (it never leaves).
        runWithStoppedReplicas(2, Set.of(5), List.of(6, 5), 7_777L);
    }

    @Test
    void fourReplicasChangeViewWhenThePrimaryCrashes() {
        // Beyond stopping backups: the primary's node disappears, the backups' request timers expire and they
        // move to view 1 (PBFT §4.4), whose primary is replica 1. Sharding keeps routing between the live
        // nodes although the coordinator lived on the crashed one: every region cached its shards' homes.
        runWithStoppedReplicas(1, Set.of(0), List.of(0), 9_001L);
    }

    private void runWithStoppedReplicas(int faultsTolerated, Set<Integer> crashStopped, List<Integer> replicasToStop,
            long seed) {
        try (LocalCluster cluster = LocalCluster.start(faultsTolerated, crashStopped)) {
            var load = new ClientLoad(cluster, "client", 3, seed);
            var afterStop = new ClientLoad(cluster, "late-client", 2, seed + 1);
            ExecutorService executor = ClientLoad.executor(5);
            try {
                CompletableFuture<Void> running = load.run(OPERATIONS, executor);
                awaitCompleted(load, running, STOP_AFTER_OPERATIONS);
                replicasToStop.forEach(cluster::stop);
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
                assertEquals(cluster.size() - replicasToStop.size(), states.size());
                assertEquals(1, states.values().stream().map(ExecutedState::applicationStateDigest).distinct().count(),
                        "live replicas disagree: " + states);
                awaitMembershipHints(cluster, crashStopped, replicasToStop);
                if (replicasToStop.contains(0)) {
                    for (ReplicaNode node : cluster.liveNodes()) {
                        long view = LocalCluster.await(node.status().toCompletableFuture(), Duration.ofSeconds(60))
                                .view();
                        assertTrue(view >= 1, "replica " + node.replicaId() + " is still in view " + view);
                    }
                }
                ReplicaNode reader = cluster.liveNodes().get(0);
                ExecutedState agreed = states.get(reader.replicaId());
                assertTrue(agreed.lastExecutedSequence() > executedAtStop, "ordering stopped with the replicas");
                List<CommittedEntry> log = AgreedLog.read(reader, agreed.lastExecutedSequence(), testKit.system());
                var outcomes = new ArrayList<>(load.outcomes());
                outcomes.addAll(afterStop.outcomes());
                AgreedLog.assertMatchesSequentialExecution(log, outcomes, agreed, cluster.membership);
            } finally {
                executor.shutdownNow();
            }
        }
    }

    /**
     * Crashed nodes look unreachable, to the cluster and to the replicas' hints. A node that left gracefully
     * is removed, or, if its leave could not finish before it stopped (on a loaded machine, or while another
     * node is unreachable and the cluster cannot converge), it looks unreachable like a crashed one.
     */
    private static void awaitMembershipHints(LocalCluster cluster, Set<Integer> crashStopped,
            List<Integer> stoppedReplicas) {
        for (ReplicaNode node : cluster.liveNodes()) {
            for (int stopped : stoppedReplicas) {
                boolean crashed = crashStopped.contains(stopped);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!looksGone(node, stopped, crashed)) {
                    assertTrue(System.nanoTime() < deadline, "replica " + node.replicaId() + " sees replica "
                            + stopped + " as " + node.peerReachability().get(stopped) + ", hints "
                            + node.metrics().snapshot());
                    LocalCluster.sleep(100);
                }
            }
            assertEquals(PeerReachability.UP, node.peerReachability().get(node.replicaId()));
        }
    }

    private static boolean looksGone(ReplicaNode node, int stopped, boolean crashed) {
        PeerReachability seen = node.peerReachability().get(stopped);
        boolean unreachable = seen == PeerReachability.UNREACHABLE
                && node.metrics().count("membership.hint.UNREACHABLE") > 0;
        boolean removed = seen == PeerReachability.NOT_UP && node.metrics().count("membership.hint.REMOVED") > 0;
        return unreachable || (!crashed && removed);
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
