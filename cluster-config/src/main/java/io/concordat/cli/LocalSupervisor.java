package io.concordat.cli;

import io.concordat.config.LocalCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Runs a local cluster as one JVM per replica ({@code concordat node}), as {@code concordat up} does: starts
 * them, waits until each serves, reports any that dies, and stops them all (SIGTERM, then SIGKILL after a
 * deadline). Each replica's output goes to {@code DIR/logs/replica-I.log}; the previous run's log is kept as
 * {@code replica-I.log.1}.
 *
 * <p>A replica that dies is not restarted automatically: the operator decides (the message says how), and
 * a chaos run wants a dead replica to stay dead. With the default H2 journal a restarted replica recovers
 * what it persisted and never contradicts it; with {@code --in-memory} it comes back empty and has forgotten
 * the messages it sent, so it counts as one of the f faulty replicas until state transfer catches it up.
 */
final class LocalSupervisor {
    static final String LOGS_DIRECTORY = "logs";
    private static final Duration POLL_INTERVAL = Duration.ofMillis(500);
    private static final int LOG_TAIL_LINES = 8;

    /** One replica JVM. */
    record Child(int replicaId, Process process, Path log) {}

    private final LocalCluster cluster;
    private final ClusterFile clusterFile;
    private final ProcessFiles processFiles;
    private final List<String> javaOptions;
    private final Duration stopDeadline;
    private final PrintWriter out;
    private final List<Child> children = new CopyOnWriteArrayList<>();
    private final Set<Integer> reportedDead = new HashSet<>();
    private volatile boolean stopping;

    /** h2 or in-memory: passed to every replica's {@code node --journal}. */
    private final String journal;

    LocalSupervisor(LocalCluster cluster, ClusterFile clusterFile, List<String> javaOptions, String journal,
            Duration stopDeadline, PrintWriter out) {
        this.journal = journal;
        this.cluster = cluster;
        this.clusterFile = clusterFile;
        this.processFiles = new ProcessFiles(cluster.dataDirectory());
        this.javaOptions = List.copyOf(javaOptions);
        this.stopDeadline = stopDeadline;
        this.out = out;
    }

    synchronized void startAll() {
        Path logs = cluster.dataDirectory().resolve(LOGS_DIRECTORY);
        long ownPid = ProcessHandle.current().pid();
        processFiles.writeUpPid(ownPid);
        Map<Integer, Long> pids = new LinkedHashMap<>();
        try {
            Files.createDirectories(logs);
            for (ClusterFile.Replica replica : clusterFile.replicas()) {
                Path log = logs.resolve("replica-" + replica.id() + ".log");
                if (Files.exists(log)) {
                    Files.move(log, log.resolveSibling(log.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
                }
                List<String> command = NodeCommandLine.of(cluster, replica.id(), javaOptions, journal, ownPid);
                var builder = new ProcessBuilder(command).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
                Process process = builder.start();
                children.add(new Child(replica.id(), process, log));
                pids.put(replica.id(), process.pid());
                out.printf("replica %d  pid %d  client %s  admin %s  log %s%n", replica.id(), process.pid(),
                        replica.clientEndpoint(), replica.adminEndpoint(), log);
            }
        } catch (IOException e) {
            processFiles.writePids(pids);
            throw new CliException("cannot start the replicas: " + e.getMessage());
        } finally {
            processFiles.writePids(pids);
            out.flush();
        }
    }

    /**
     * Waits until every replica answers its status. Returns false, having said why, if one dies first or
     * the deadline passes.
     */
    boolean awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Set<Integer> ready = new TreeSet<>();
        Map<Integer, String> lastProblem = new LinkedHashMap<>();
        try (var probes = new AdminProbes(Duration.ofSeconds(2))) {
            while (ready.size() < children.size()) {
                if (stopping) {
                    return false;
                }
                for (Child child : children) {
                    if (!child.process().isAlive()) {
                        reportDeath(child, true);
                        return false;
                    }
                }
                for (ClusterFile.Replica replica : clusterFile.replicas()) {
                    if (ready.contains(replica.id())) {
                        continue;
                    }
                    ReplicaProbe probe = probes.probe(replica.id(), replica.adminEndpoint()).join();
                    if (probe instanceof ReplicaProbe.Serving serving) {
                        ready.add(replica.id());
                        out.printf("replica %d ready (view %d, primary %d)%n", replica.id(), serving.view(),
                                serving.primary());
                        out.flush();
                    } else {
                        lastProblem.put(replica.id(), describe(probe));
                    }
                }
                if (ready.size() < children.size() && System.nanoTime() > deadline) {
                    out.println("concordat: the cluster did not become ready within " + timeout.toSeconds() + " s:");
                    lastProblem.forEach((replicaId, problem) -> {
                        if (!ready.contains(replicaId)) {
                            out.println("  replica " + replicaId + ": " + problem);
                        }
                    });
                    out.println("  see the logs in " + cluster.dataDirectory().resolve(LOGS_DIRECTORY));
                    out.flush();
                    return false;
                }
                sleep(POLL_INTERVAL);
            }
        }
        return true;
    }

    /** Watches the replicas until all have ended or the cluster is being stopped; reports each death. */
    void superviseUntilStopped() {
        while (!stopping) {
            int alive = 0;
            for (Child child : children) {
                if (child.process().isAlive()) {
                    alive++;
                } else if (!stopping && reportedDead.add(child.replicaId())) {
                    reportDeath(child, false);
                }
            }
            if (alive == 0 && !stopping) {
                out.println("concordat: every replica has stopped; exiting");
                out.flush();
                return;
            }
            sleep(POLL_INTERVAL);
        }
    }

    /** Stops every replica: SIGTERM, then SIGKILL for any still running after the deadline. Idempotent. */
    synchronized void stopAll() {
        if (stopping && children.isEmpty()) {
            return;
        }
        stopping = true;
        List<Child> running = new ArrayList<>();
        for (Child child : children) {
            if (child.process().isAlive()) {
                child.process().destroy();
                running.add(child);
            }
        }
        if (!running.isEmpty()) {
            out.println("stopping " + running.size() + " replica(s)...");
            out.flush();
        }
        long deadline = System.nanoTime() + stopDeadline.toNanos();
        for (Child child : running) {
            long remaining = Math.max(0, deadline - System.nanoTime());
            try {
                if (!child.process().waitFor(remaining, TimeUnit.NANOSECONDS)) {
                    child.process().destroyForcibly();
                    child.process().waitFor(5, TimeUnit.SECONDS);
                    out.printf("replica %d (pid %d) did not stop within %d s; killed it%n", child.replicaId(),
                            child.process().pid(), stopDeadline.toSeconds());
                } else {
                    out.printf("replica %d (pid %d) stopped%n", child.replicaId(), child.process().pid());
                }
            } catch (InterruptedException interrupted) {
                child.process().destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        children.clear();
        processFiles.removeAll();
        out.println("cluster stopped");
        out.flush();
    }

    boolean isStopping() {
        return stopping;
    }

    private void reportDeath(Child child, boolean duringStartUp) {
        int exitCode = child.process().exitValue();
        long alive = children.stream().filter(other -> other.process().isAlive()).count();
        int faultsTolerated = clusterFile.faultsTolerated();
        out.printf("concordat: replica %d (pid %d) %s; see %s%n", child.replicaId(), child.process().pid(),
                describeExit(exitCode), child.log());
        if (duringStartUp) {
            out.println("  last lines of its log:");
            tail(child.log()).forEach(line -> out.println("    " + line));
        } else {
            int quorum = 2 * faultsTolerated + 1;
            out.printf("  %d of %d replicas are running; the cluster tolerates f = %d faulty replica(s)%s%n", alive,
                    children.size(), faultsTolerated, alive >= quorum ? " and keeps serving"
                            : ", so it CANNOT make progress: it needs " + quorum + " = 2f+1 running replicas");
            out.printf("  it is not restarted automatically; to bring it back (%s):"
                    + "%n    ./concordat node --config %s --replica %d --data-dir %s --journal %s%n",
                    journal.equals("in-memory") ? "empty, it catches up by state transfer"
                            : "it recovers from its journal, then catches up",
                    cluster.definitionFile(), child.replicaId(), cluster.dataDirectory(), journal);
        }
        out.flush();
    }

    static String describeExit(int exitCode) {
        if (exitCode > 128 && exitCode < 128 + 65) {
            int signal = exitCode - 128;
            return "was killed by signal " + signal + signalName(signal) + " (exit code " + exitCode + ")";
        }
        return "exited with code " + exitCode;
    }

    private static String signalName(int signal) {
        switch (signal) {
            case 1: return " (SIGHUP)";
            case 2: return " (SIGINT)";
            case 6: return " (SIGABRT)";
            case 9: return " (SIGKILL)";
            case 11: return " (SIGSEGV)";
            case 15: return " (SIGTERM)";
            default: return "";
        }
    }

    private static String describe(ReplicaProbe probe) {
        if (probe instanceof ReplicaProbe.NotServing notServing) {
            return "not serving yet: " + notServing.reason();
        }
        if (probe instanceof ReplicaProbe.Unreachable unreachable) {
            return "admin endpoint unreachable: " + unreachable.reason();
        }
        return "serving";
    }

    private static List<String> tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
