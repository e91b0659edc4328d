package io.concordat.replica;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PublicKey;
import io.concordat.membership.ReplicaAddress;
import io.concordat.membership.ReplicaAddresses;
import io.concordat.protocol.Membership;
import io.concordat.protocol.ProtocolConfiguration;
import java.io.IOException;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * n replicas as n ActorSystems on 127.0.0.1 in this JVM, each on a free port, running the reference
 * key-value store. Replicas listed as crash-stopped leave no goodbye when stopped: their ActorSystem
 * terminates without leaving the cluster, as a crashed process would, so the others see it unreachable.
 */
final class LocalCluster implements AutoCloseable {
    /** Smaller than the defaults, so that tests pass several checkpoints and watermark moves. */
    static final ProtocolConfiguration PROTOCOL = ProtocolConfiguration.defaults()
            .withCheckpointInterval(16, 64)
            .withBatching(64, 1 << 20, 1);
    /** The core's operation limit in these tests; the wire limit (64 KiB) is larger, so the core decides. */
    static final int REQUEST_MAX_BYTES = 4096;

    private static final Duration FORMATION_TIMEOUT = Duration.ofSeconds(120);

    final Membership membership;
    final List<Ed25519KeyPair> keys;
    final ReplicaAddresses addresses;
    final ProtocolConfiguration protocol;
    private final ReplicaSettings settings;
    private final List<ReplicaNode> nodes = new ArrayList<>();
    private final Set<Integer> stopped = ConcurrentHashMap.newKeySet();
    private final Set<Integer> crashStopped;

    private LocalCluster(int faultsTolerated, Set<Integer> crashStopped, PersistenceSettings persistence) {
        this.crashStopped = Set.copyOf(crashStopped);
        int size = 3 * faultsTolerated + 1;
        keys = new ArrayList<>();
        var publicKeys = new ArrayList<PublicKey>();
        for (int id = 0; id < size; id++) {
            Ed25519KeyPair pair = Ed25519KeyPair.fromSeed(seed("replica", id));
            keys.add(pair);
            publicKeys.add(pair.publicKey());
        }
        membership = new Membership(faultsTolerated, publicKeys);
        var byReplica = new HashMap<Integer, ReplicaAddress>();
        List<Integer> ports = freePorts(size);
        for (int id = 0; id < size; id++) {
            byReplica.put(id, new ReplicaAddress("127.0.0.1", ports.get(id)));
        }
        addresses = new ReplicaAddresses("concordat", byReplica);
        protocol = new ProtocolConfiguration(PROTOCOL.checkpointInterval(), PROTOCOL.watermarkWindow(),
                PROTOCOL.batchMaxRequests(), PROTOCOL.batchMaxBytes(), PROTOCOL.batchDelayTicks(), REQUEST_MAX_BYTES,
                PROTOCOL.pendingRequestsMax(), PROTOCOL.statusIntervalTicks(), PROTOCOL.viewChangeTimeoutTicks(),
                PROTOCOL.heartbeatIntervalTicks());
        // Keep every entry so that the test can replay the whole agreed log.
        settings = ReplicaSettings.defaults().withOrderedLogRetainedBeyondCheckpoint(1_000_000)
                .withPersistence(persistence);
        startNodes();
    }

    /** The same replicas on the same addresses and data, as a fresh set of nodes (after every node stopped). */
    private LocalCluster(LocalCluster previous) {
        crashStopped = previous.crashStopped;
        membership = previous.membership;
        keys = previous.keys;
        addresses = previous.addresses;
        protocol = previous.protocol;
        settings = previous.settings;
        startNodes();
    }

    private void startNodes() {
        int size = membership.size();
        for (int id = 0; id < size; id++) {
            var configuration = new ReplicaNodeConfiguration(id, membership, addresses, protocol, settings);
            nodes.add(ReplicaNode.start(configuration, keys.get(id).signer(), KeyValueStore::new,
                    overrides(crashStopped.contains(id))));
        }
    }

    /** Starts 3f+1 replicas and waits until every one of them answers. */
    static LocalCluster start(int faultsTolerated, Set<Integer> crashStopped) {
        return start(faultsTolerated, crashStopped, ReplicaSettings.defaults().persistence()
                .withJournal(PersistenceSettings.Journal.IN_MEMORY));
    }

    /** Starts 3f+1 replicas that keep their state as {@code persistence} says, and waits until they answer. */
    static LocalCluster start(int faultsTolerated, Set<Integer> crashStopped, PersistenceSettings persistence) {
        return awaitServingOrClose(new LocalCluster(faultsTolerated, crashStopped, persistence));
    }

    /**
     * Stops every node at once and starts them all again on the same addresses and data; waits until every
     * replica answers. Nodes started as crash-stopped stop without leaving the cluster, as in a power loss.
     */
    LocalCluster restartAll() {
        var terminations = new ArrayList<java.util.concurrent.CompletableFuture<?>>();
        for (ReplicaNode node : nodes) {
            if (stopped.add(node.replicaId())) {
                terminations.add(node.terminate().toCompletableFuture());
            }
        }
        terminations.forEach(termination -> await(termination, Duration.ofSeconds(90)));
        return awaitServingOrClose(new LocalCluster(this));
    }

    private static LocalCluster awaitServingOrClose(LocalCluster cluster) {
        try {
            cluster.awaitServing();
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    static Bytes seed(String purpose, int index) {
        byte[] seed = new byte[Ed25519KeyPair.SEED_SIZE_BYTES];
        byte[] label = (purpose + "-" + index).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.arraycopy(label, 0, seed, 0, Math.min(label.length, seed.length));
        return Bytes.copyOf(seed);
    }

    ReplicaNode node(int replicaId) {
        return nodes.get(replicaId);
    }

    int size() {
        return nodes.size();
    }

    /** The nodes that were not stopped. */
    List<ReplicaNode> liveNodes() {
        var live = new ArrayList<ReplicaNode>();
        for (ReplicaNode node : nodes) {
            if (!stopped.contains(node.replicaId())) {
                live.add(node);
            }
        }
        return live;
    }

    void stop(int replicaId) {
        stopped.add(replicaId);
        await(nodes.get(replicaId).terminate().toCompletableFuture(), Duration.ofSeconds(90));
    }

    /**
     * Starts a stopped replica again on the same address with nothing: an empty state machine and no memory
     * of what it sent. It rejoins the cluster as a new incarnation and catches up by state transfer.
     */
    void restartEmpty(int replicaId) {
        restart(replicaId, ReplicaSettings.defaults().withOrderedLogRetainedBeyondCheckpoint(1_000_000));
    }

    /**
     * Starts a stopped replica again on the same address with the cluster's own settings: with a durable
     * journal it recovers what it persisted (or, if its data was wiped, catches up by state transfer).
     */
    void restart(int replicaId) {
        restart(replicaId, settings);
    }

    private void restart(int replicaId, ReplicaSettings replicaSettings) {
        if (!stopped.contains(replicaId)) {
            throw new IllegalStateException("replica " + replicaId + " is running");
        }
        var configuration = new ReplicaNodeConfiguration(replicaId, membership, addresses, protocol,
                replicaSettings);
        ReplicaNode node = ReplicaNode.start(configuration, keys.get(replicaId).signer(), KeyValueStore::new,
                overrides(crashStopped.contains(replicaId)));
        nodes.set(replicaId, node);
        stopped.remove(replicaId);
        long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
        while (true) {
            try {
                node.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("replica " + replicaId + " did not start serving again", e);
                }
                sleep(200);
            }
        }
    }

    /** Waits until every live replica executed the same last sequence number; returns their states. */
    Map<Integer, ExecutedState> awaitConvergence() {
        long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
        Map<Integer, ExecutedState> states = Map.of();
        while (System.nanoTime() < deadline) {
            states = executedStates();
            long distinct = states.values().stream().mapToLong(ExecutedState::lastExecutedSequence).distinct().count();
            if (states.size() == liveNodes().size() && distinct == 1) {
                return states;
            }
            sleep(200);
        }
        throw new AssertionError("live replicas did not reach the same sequence number: " + states);
    }

    Map<Integer, ExecutedState> executedStates() {
        var states = new HashMap<Integer, ExecutedState>();
        for (ReplicaNode node : liveNodes()) {
            try {
                states.put(node.replicaId(), node.executedState().toCompletableFuture().get(30, TimeUnit.SECONDS));
            } catch (Exception e) {
                // Not answering now; the caller retries.
            }
        }
        return states;
    }

    /** Stops the nodes one at a time, newest member first, so each leaves a cluster that can still converge. */
    @Override
    public void close() {
        downCrashedNodes();
        for (int replicaId = nodes.size() - 1; replicaId >= 0; replicaId--) {
            ReplicaNode node = nodes.get(replicaId);
            if (stopped.add(replicaId)) {
                try {
                    node.terminate().toCompletableFuture().get(90, TimeUnit.SECONDS);
                } catch (Exception e) {
                    // Best effort: the JVM ends after the tests anyway.
                }
            }
        }
    }

    /**
     * What an operator does after a crash (Concordat never downs automatically): mark the crashed nodes down,
     * so that the remaining nodes can converge and leave the cluster cleanly when the test ends.
     */
    private void downCrashedNodes() {
        List<ReplicaNode> live = liveNodes();
        if (live.isEmpty()) {
            return;
        }
        var manager = Cluster.get(live.get(0).system()).manager();
        for (int replicaId : crashStopped) {
            if (stopped.contains(replicaId)) {
                manager.tell(new Down(addresses.pekkoAddressOf(replicaId)));
            }
        }
    }

    private void awaitServing() {
        long deadline = System.nanoTime() + FORMATION_TIMEOUT.toNanos();
        for (ReplicaNode node : nodes) {
            while (true) {
                try {
                    node.status().toCompletableFuture().get(10, TimeUnit.SECONDS);
                    break;
                } catch (Exception e) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("replica " + node.replicaId() + " did not start serving", e);
                    }
                    sleep(200);
                }
            }
        }
    }

    private static Config overrides(boolean crashStop) {
        String crash = crashStop
                // Terminating without coordinated shutdown skips leaving the cluster: the others only notice
                // through their failure detectors, as with a crashed process.
                ? "pekko.coordinated-shutdown.run-by-actor-system-terminate = off\n"
                : "";
        return ConfigFactory.parseString(crash
                + "pekko.cluster.sharding.retry-interval = 500ms\n");
    }

    /**
     * {@code count} distinct free ports. Each socket stays open until all are chosen: closing one before
     * asking for the next let the kernel hand out the same port twice ("replicas 0 and 2 share the address").
     */
    static List<Integer> freePorts(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            List<Integer> ports = new ArrayList<>();
            for (int index = 0; index < count; index++) {
                var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                sockets.add(socket);
                ports.add(socket.getLocalPort());
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket that accepted nothing does not fail in practice.
                }
            }
        }
    }

    static int freePort() {
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T await(java.util.concurrent.CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("did not complete within " + timeout, e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
