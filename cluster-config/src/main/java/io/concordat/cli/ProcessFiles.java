package io.concordat.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The process bookkeeping {@code concordat up} keeps in its data directory while it runs:
 * <ul>
 *   <li>{@code DIR/up.pid}: the pid of the {@code up} process itself;</li>
 *   <li>{@code DIR/pids}: one line {@code <replica id> <pid>} per replica JVM.</li>
 * </ul>
 * Both are removed when {@code up} stops its replicas. If they are left behind (the {@code up} process was
 * killed), the next {@code up} checks whether those processes still run before starting anything.
 */
final class ProcessFiles {
    static final String UP_PID_FILE = "up.pid";
    static final String PIDS_FILE = "pids";

    private final Path directory;

    ProcessFiles(Path directory) {
        this.directory = directory;
    }

    Path upPidFile() {
        return directory.resolve(UP_PID_FILE);
    }

    Path pidsFile() {
        return directory.resolve(PIDS_FILE);
    }

    /** Fails if an earlier {@code up} from this directory, or one of its replicas, still runs. */
    void refuseIfRunning() {
        readPid(upPidFile()).flatMap(ProcessFiles::runningConcordat).ifPresent(pid -> {
            throw new CliException("a cluster from " + directory + " is already running (concordat up, pid " + pid
                    + "); stop it with Ctrl-C in its terminal or kill " + pid + ", or use another --data-dir");
        });
        List<String> leftovers = new ArrayList<>();
        readPids().forEach((replicaId, pid) -> runningConcordat(pid).ifPresent(running ->
                leftovers.add("replica " + replicaId + " (pid " + running + ")")));
        if (!leftovers.isEmpty()) {
            throw new CliException("processes from an earlier run in " + directory + " still run: "
                    + String.join(", ", leftovers) + "; stop them (kill PID) before starting the cluster again");
        }
    }

    void writeUpPid(long pid) {
        write(upPidFile(), pid + "\n");
    }

    void writePids(Map<Integer, Long> pidsByReplica) {
        var text = new StringBuilder();
        pidsByReplica.forEach((replicaId, pid) -> text.append(replicaId).append(' ').append(pid).append('\n'));
        write(pidsFile(), text.toString());
    }

    /** The replicas' pids as written by {@link #writePids}; lines that do not parse are skipped. */
    Map<Integer, Long> readPids() {
        Map<Integer, Long> pids = new TreeMap<>();
        if (!Files.isRegularFile(pidsFile())) {
            return pids;
        }
        try {
            for (String line : Files.readAllLines(pidsFile(), StandardCharsets.UTF_8)) {
                String[] fields = line.strip().split("\\s+");
                if (fields.length == 2) {
                    try {
                        pids.put(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
                    } catch (NumberFormatException ignored) {
                        // Not a line this class wrote.
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    void removeAll() {
        try {
            Files.deleteIfExists(pidsFile());
            Files.deleteIfExists(upPidFile());
        } catch (IOException ignored) {
            // Stale files are checked against running processes on the next start.
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Files.isRegularFile(file) ? Optional.of(Long.parseLong(Files.readString(file).strip()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** The pid if a process with it runs and is a Concordat JVM (a pid reused by another program is not). */
    static Optional<Long> runningConcordat(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> handle.info().commandLine()
                .map(command -> command.contains(ConcordatCli.class.getName()) || command.contains("concordat"))
                .orElse(true)).map(ProcessHandle::pid);
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
