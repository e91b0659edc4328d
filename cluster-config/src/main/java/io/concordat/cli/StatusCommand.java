package io.concordat.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code concordat status}: every replica's view, primary, progress and reachability, as a table. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Shows each replica's view, primary, last executed sequence number, stable checkpoint and"
                + " reachability.", "Exit code 0 if every replica serves, 3 if some do not."})
final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", paramLabel = "FILE", defaultValue = ConcordatCli.DEFAULT_CLUSTER_FILE,
            description = "The cluster file (default: ${DEFAULT-VALUE}).")
    Path clusterFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "2",
            description = "How long to wait for each replica to accept a connection (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public Integer call() {
        if (timeoutSeconds < 1) {
            throw new CliException("--timeout must be at least 1 second, got " + timeoutSeconds, ExitCodes.USAGE);
        }
        ClusterFile cluster = ClusterFile.read(clusterFile);
        List<ReplicaProbe> probes = new AdminProbes(Duration.ofSeconds(timeoutSeconds)).probeAll(cluster.replicas());
        PrintWriter out = spec.commandLine().getOut();
        out.println("cluster " + cluster.name() + " (" + clusterFile + ")");
        out.print(StatusTable.render(cluster.replicas(), probes));
        out.println(StatusTable.summary(cluster.faultsTolerated(), probes));
        out.flush();
        boolean allServing = probes.stream().allMatch(probe -> probe instanceof ReplicaProbe.Serving);
        return allServing ? ExitCodes.OK : ExitCodes.NEGATIVE;
    }
}
