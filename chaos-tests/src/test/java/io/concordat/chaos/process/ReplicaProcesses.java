package io.concordat.chaos.process;

import io.concordat.cli.NodeCommandLine;
import io.concordat.config.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The replica JVMs of one campaign: {@code concordat node} per replica, started with this JVM's class path,
 * killed with SIGKILL ({@link ProcessHandle#destroyForcibly()} on Linux) and started again on the same data
 * directory and journal. Each replica's output is appended to {@code logs/replica-I.log}, with a marker line
 * before every start. {@link #close()} kills every process this object ever started and waits for it.
 */
final class ReplicaProcesses implements AutoCloseable {
    private static final Duration EXIT_DEADLINE = Duration.ofSeconds(30);

    private final LocalCluster cluster;
    private final CampaignJournal journal;
    private final Path logs;
    private final List<String> javaOptions;
    private final Map<Integer, Process> running = new TreeMap<>();
    private final List<Process> everStarted = new ArrayList<>();
    private final List<Process> killedByUs = new ArrayList<>();
    private int starts;

    ReplicaProcesses(LocalCluster cluster, CampaignJournal journal, Path logs, List<String> javaOptions) {
        this.cluster = cluster;
        this.journal = journal;
        this.logs = logs;
        this.javaOptions = List.copyOf(javaOptions);
    }

    synchronized void start(int replicaId) {
        Process previous = running.get(replicaId);
        if (previous != null && previous.isAlive()) {
            throw new IllegalStateException("replica " + replicaId + " still runs (pid " + previous.pid() + ")");
        }
        Path log = log(replicaId);
        List<String> options = new ArrayList<>(javaOptions);
        options.addAll(journal.javaOptions(replicaId));
        List<String> command = NodeCommandLine.of(cluster, replicaId, options, journal.name(),
                ProcessHandle.current().pid());
        try {
            Files.createDirectories(logs);
            starts++;
            Files.writeString(log, "----- kill campaign: start " + starts + " (replica " + replicaId + ") at "
                    + Instant.now() + " -----\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            everStarted.add(process);
            running.put(replicaId, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start replica " + replicaId, e);
        }
    }

    /** SIGKILL, then waits until the process is gone. */
    void kill(int replicaId) {
        Process process;
        synchronized (this) {
            process = running.get(replicaId);
            killedByUs.add(process);
        }
        process.destroyForcibly();
        awaitExit(process, replicaId);
    }

    /** SIGKILL to every replica at once (one tight loop), then waits until all are gone. */
    void killAll() {
        List<Map.Entry<Integer, Process>> all;
        synchronized (this) {
            all = new ArrayList<>(running.entrySet());
            all.forEach(entry -> killedByUs.add(entry.getValue()));
        }
        for (Map.Entry<Integer, Process> entry : all) {
            entry.getValue().destroyForcibly();
        }
        for (Map.Entry<Integer, Process> entry : all) {
            awaitExit(entry.getValue(), entry.getKey());
        }
    }

    synchronized boolean isAlive(int replicaId) {
        Process process = running.get(replicaId);
        return process != null && process.isAlive();
    }

    /** Replicas whose current process has exited without being killed by this campaign. */
    synchronized Map<Integer, Integer> exitedOnTheirOwn() {
        Map<Integer, Integer> exited = new TreeMap<>();
        running.forEach((replicaId, process) -> {
            if (!process.isAlive() && !killedByUs.contains(process)) {
                exited.put(replicaId, process.exitValue());
            }
        });
        return exited;
    }

    private static void awaitExit(Process process, int replicaId) {
        try {
            if (!process.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("replica " + replicaId + " (pid " + process.pid() + ") did not exit"
                        + " within " + EXIT_DEADLINE.toSeconds() + " s of SIGKILL");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for replica " + replicaId + " to exit");
        }
    }

    synchronized int starts() {
        return starts;
    }

    Path log(int replicaId) {
        return logs.resolve("replica-" + replicaId + ".log");
    }

    /** The last {@code lines} lines of every replica's log, for a failure report. */
    String logTails(int lines) {
        var text = new StringBuilder();
        for (int replicaId = 0; replicaId < cluster.definition().size(); replicaId++) {
            Path log = log(replicaId);
            text.append("\n--- ").append(log).append(" (last ").append(lines).append(" lines)\n");
            try {
                List<String> all = Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
                all.subList(Math.max(0, all.size() - lines), all.size())
                        .forEach(line -> text.append(line).append('\n'));
            } catch (IOException | UncheckedIOException e) {
                text.append("(cannot read it: ").append(e.getMessage()).append(")\n");
            }
        }
        return text.toString();
    }

    /** Kills every process ever started here and waits for each; safe to call more than once. */
    @Override
    public void close() {
        List<Process> all;
        synchronized (this) {
            all = new ArrayList<>(everStarted);
        }
        all.forEach(Process::destroyForcibly);
        for (Process process : all) {
            try {
                process.waitFor(EXIT_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
