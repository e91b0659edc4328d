package io.concordat.cli;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.client.BftClient;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code concordat failover}: measures how long a cluster started by {@code up} stops committing when its
 * primary dies. One client puts in a closed loop; after the warm-up the primary's JVM is killed with
 * SIGKILL; the figure is the time from the kill to the first operation that commits afterwards, which
 * can only commit in the new view. The cluster is left with one replica down.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = {"Kills the primary of a local cluster (started by up) under load and prints the time from the"
                + " kill to the next committed operation."})
final class FailoverCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", paramLabel = "FILE", defaultValue = ConcordatCli.DEFAULT_CLUSTER_FILE,
            description = "The cluster file written by up (default: ${DEFAULT-VALUE}).")
    Path clusterFile;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "5",
            description = "Seconds of load before the kill (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up if nothing commits for this long after the kill (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        ClusterFile cluster = ClusterFile.read(clusterFile);
        PrintWriter out = spec.commandLine().getOut();
        Map<Integer, Long> pids = new ProcessFiles(clusterFile.toAbsolutePath().getParent()).readPids();
        int primary = currentPrimary(cluster);
        Long pid = pids.get(primary);
        if (pid == null) {
            throw new CliException("no pid for the primary, replica " + primary + ", in the pids file next to "
                    + clusterFile + ": failover needs a cluster started by concordat up");
        }
        Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
        try (BftClient client = BftClient.create(ClusterClients.settings(cluster, key)
                .firstRequestNumber(1).build())) {
            long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
            int operations = 0;
            while (System.nanoTime() < warmupEnd) {
                put(client, operations++);
            }
            long killedAt = System.nanoTime();
            ProcessHandle.of(pid).orElseThrow(() -> new CliException("the primary's process " + pid + " is not running"))
                    .destroyForcibly();
            // Operations submitted from now on complete only once a view without the dead primary commits.
            put(client, operations);
            long recovered = System.nanoTime();
            double seconds = (recovered - killedAt) / 1e9;
            out.printf("failover: killed primary %d (pid %d) after %d operations; first commit after the kill %.3f s"
                    + " later; now in view %s%n", primary, pid, operations, seconds,
                    currentView(cluster).map(String::valueOf).orElse("unknown"));
            out.printf("failover-seconds %.3f%n", seconds);
            out.flush();
        }
        return ExitCodes.OK;
    }

    private void put(BftClient client, int index) throws Exception {
        client.submit(KeyValueOperations.put(Bytes.ofUtf8("failover"), Bytes.ofUtf8("value-" + index)).toByteArray())
                .toCompletableFuture().get(timeoutSeconds, TimeUnit.SECONDS);
    }

    private static int currentPrimary(ClusterFile cluster) {
        try (AdminProbes probes = new AdminProbes(Duration.ofSeconds(5))) {
            for (ReplicaProbe probe : probes.probeAll(cluster.replicas())) {
                if (probe instanceof ReplicaProbe.Serving serving) {
                    return serving.primary();
                }
            }
        }
        throw new CliException("no replica of " + cluster.name() + " is serving");
    }

    private static Optional<Long> currentView(ClusterFile cluster) {
        try (AdminProbes probes = new AdminProbes(Duration.ofSeconds(5))) {
            return probes.probeAll(cluster.replicas()).stream()
                    .filter(ReplicaProbe.Serving.class::isInstance).map(ReplicaProbe.Serving.class::cast)
                    .map(ReplicaProbe.Serving::view).max(Long::compare);
        }
    }
}
