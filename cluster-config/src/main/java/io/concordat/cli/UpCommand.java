package io.concordat.cli;

import io.concordat.config.ClusterDefinitionException;
import io.concordat.config.KeyFileException;
import io.concordat.config.LocalCluster;
import io.concordat.config.LocalClusterTemplate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code concordat up}: a local cluster on 127.0.0.1, one JVM per replica, in the foreground until Ctrl-C.
 * Generates keys and a signed definition on first use, writes {@code DIR/cluster.json} for the client-side
 * commands, and prints each replica's endpoints and pid.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Starts a local cluster on 127.0.0.1, one JVM per replica, and runs until Ctrl-C.",
                "Generates keys and a signed cluster definition in the data directory on first use."})
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--replicas", paramLabel = "N", defaultValue = "4",
            description = "How many replicas: 3f+1, so 4, 7, 10... (default: ${DEFAULT-VALUE}).")
    int replicas;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = ConcordatCli.DEFAULT_DATA_DIRECTORY,
            description = "Where keys, the definition, cluster.json and logs live (default: ${DEFAULT-VALUE}).")
    Path dataDirectory;

    @Option(names = "--base-port", paramLabel = "PORT", defaultValue = "" + LocalClusterTemplate.DEFAULT_BASE_PORT,
            description = "Replica I uses PORT+I (Artery), PORT+100+I (client) and PORT+200+I (admin)"
                    + " (default: ${DEFAULT-VALUE}).")
    int basePort;

    @Option(names = "--ready-timeout", paramLabel = "SECONDS", defaultValue = "180",
            description = "How long to wait for every replica to serve (default: ${DEFAULT-VALUE}).")
    int readyTimeoutSeconds;

    @Option(names = "--stop-timeout", paramLabel = "SECONDS", defaultValue = "15",
            description = "How long stopping replicas may take before they are killed (default: ${DEFAULT-VALUE}).")
    int stopTimeoutSeconds;

    @Option(names = "--in-memory",
            description = "Keep the replicas' state in memory only: it is lost when the cluster stops. By default "
                    + "each replica keeps an H2 journal under DIR/replica-ID, and a restarted cluster has its data.")
    boolean inMemory;

    @Option(names = "--journal", paramLabel = "KIND", defaultValue = "h2",
            description = "h2 (default), postgresql or in-memory, passed to every replica's node --journal. For "
                    + "postgresql, give the database in a config file: --java-option=-Dconfig.file=FILE with "
                    + "concordat.replica.persistence.postgresql { url, user, password } (docs/operations.md).")
    String journal;

    @Option(names = "--java-option", paramLabel = "OPTION",
            description = "A JVM option for every replica, for example --java-option=-Xmx512m; repeatable.")
    List<String> javaOptions = new ArrayList<>();

    @Option(names = "--parent-pid", hidden = true, paramLabel = "PID",
            description = "Stop the cluster when this process ends (for tests and scripts that start up).")
    Optional<Long> parentPid;

    @Override
    public Integer call() {
        if (readyTimeoutSeconds < 1 || stopTimeoutSeconds < 1) {
            throw new CliException("--ready-timeout and --stop-timeout must be at least 1 second", ExitCodes.USAGE);
        }
        if (!List.of("h2", "postgresql", "in-memory").contains(journal)) {
            throw new CliException("--journal must be h2, postgresql or in-memory, got \"" + journal + "\"",
                    ExitCodes.USAGE);
        }
        if (inMemory && !journal.equals("h2") && !journal.equals("in-memory")) {
            throw new CliException("--in-memory and --journal " + journal + " contradict each other", ExitCodes.USAGE);
        }
        String journalKind = inMemory ? "in-memory" : journal;
        PrintWriter out = spec.commandLine().getOut();
        Path directory = dataDirectory.toAbsolutePath().normalize();
        var processFiles = new ProcessFiles(directory);
        processFiles.refuseIfRunning();
        boolean existed = Files.exists(directory.resolve(LocalClusterTemplate.DEFINITION_FILE));
        if (!existed) {
            // Checked before generating, so a busy port leaves no new cluster behind.
            requireFreePorts(LocalClusterTemplate.HOST, plannedPorts());
        }
        LocalCluster cluster = openOrGenerate(directory);
        out.println((existed ? "using the cluster in " : "generated keys and a signed cluster definition in ")
                + directory + " (" + cluster.definition().name() + ", f = " + cluster.definition().faultsTolerated()
                + ")");
        ClusterFile clusterFile = ClusterFile.of(cluster.definition(),
                LocalClusterTemplate.KEYS_DIRECTORY + "/" + cluster.clientKey().fileStem() + ".key");
        Path clusterJson = directory.resolve(ClusterFile.FILE_NAME);
        clusterFile.write(clusterJson);
        requireFreePorts(LocalClusterTemplate.HOST, portsOf(clusterFile));
        var supervisor = new LocalSupervisor(cluster, clusterFile, javaOptions, journalKind,
                Duration.ofSeconds(stopTimeoutSeconds), out);
        Thread stopOnExit = new Thread(supervisor::stopAll, "concordat-up-shutdown");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        parentPid.flatMap(ProcessHandle::of).ifPresent(parent -> parent.onExit().thenRun(() -> {
            out.println("concordat: the process that started this cluster (pid " + parent.pid() + ") ended; stopping");
            out.flush();
            System.exit(ExitCodes.FAILURE);
        }));
        supervisor.startAll();
        if (!supervisor.awaitReady(Duration.ofSeconds(readyTimeoutSeconds))) {
            if (supervisor.isStopping()) {
                return ExitCodes.FAILURE;
            }
            supervisor.stopAll();
            removeHook(stopOnExit);
            return ExitCodes.FAILURE;
        }
        out.println("cluster ready: " + clusterFile.replicas().size() + " replicas, f = " + clusterFile.faultsTolerated()
                + ", cluster file " + clusterJson);
        out.println("  try: ./concordat client --cluster " + clusterJson + " put hello world");
        out.println("       ./concordat status --cluster " + clusterJson);
        out.println(switch (journalKind) {
            case "in-memory" -> "press Ctrl-C to stop the cluster (--in-memory: state is lost when it stops)";
            case "postgresql" -> "press Ctrl-C to stop the cluster (state is kept in PostgreSQL and survives a restart)";
            default -> "press Ctrl-C to stop the cluster (state is kept in " + directory
                    + "/replica-I and survives a restart)";
        });
        out.flush();
        supervisor.superviseUntilStopped();
        if (supervisor.isStopping()) {
            return ExitCodes.OK;
        }
        supervisor.stopAll();
        removeHook(stopOnExit);
        return ExitCodes.FAILURE;
    }

    private LocalCluster openOrGenerate(Path directory) {
        try {
            return LocalClusterTemplate.openOrGenerate(replicas, directory, basePort);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        } catch (ClusterDefinitionException | KeyFileException | UncheckedIOException e) {
            throw new CliException("cannot use the cluster in " + directory + ": " + e.getMessage());
        }
    }

    /** The ports a new local cluster would use; empty if the shape is invalid (generating then says why). */
    private List<Integer> plannedPorts() {
        if (replicas < 1 || replicas > LocalClusterTemplate.REPLICAS_MAX || basePort < 1
                || basePort + LocalClusterTemplate.ADMIN_PORT_OFFSET + replicas - 1 > 65_535) {
            return List.of();
        }
        return LocalClusterTemplate.ports(replicas, basePort);
    }

    private static List<Integer> portsOf(ClusterFile cluster) {
        List<Integer> ports = new ArrayList<>();
        for (ClusterFile.Replica replica : cluster.replicas()) {
            ports.add(replica.arteryPort());
            ports.add(replica.clientPort());
            ports.add(replica.adminPort());
        }
        return ports;
    }

    static void requireFreePorts(String host, List<Integer> ports) {
        List<String> busy = new ArrayList<>();
        for (int port : ports) {
            try (var socket = new ServerSocket()) {
                socket.setReuseAddress(true);
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                busy.add(String.valueOf(port));
            }
        }
        if (!busy.isEmpty()) {
            throw new CliException("port(s) " + String.join(", ", busy) + " on " + host + " are in use; is another"
                    + " cluster running? Stop it, or start this one on other ports (a new --data-dir with"
                    + " --base-port N)");
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting anyway, and the hook stops the replicas.
        }
    }
}
