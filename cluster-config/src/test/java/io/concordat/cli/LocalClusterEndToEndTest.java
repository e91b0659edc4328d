package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.concordat.config.LocalClusterTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code concordat up} end to end, as an operator uses it: four replica JVMs on loopback, client commands
 * against them, one replica killed with SIGKILL, and the cluster still answering. Runs {@code up} in its own
 * JVM with this JVM's class path, on a free base port, in a temporary data directory. Every process it
 * starts is killed afterwards whatever happens; {@code up} also stops by itself if this JVM dies.
 */
@Tag("e2e")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class LocalClusterEndToEndTest {
    private static final Duration READY_DEADLINE = Duration.ofMinutes(4);
    private static final Pattern REPLICA_LINE = Pattern.compile("^replica (\\d+)  pid (\\d+)  client ", Pattern.MULTILINE);

    @TempDir
    Path directory;

    private Process up;
    private final List<Long> startedPids = new ArrayList<>();

    /** Kills whatever is left, and waits for it, so that nothing outlives the test or writes into its files. */
    @AfterEach
    void stopEverything() throws Exception {
        List<ProcessHandle> left = new ArrayList<>();
        if (up != null) {
            left.add(up.toHandle());
        }
        startedPids.forEach(pid -> ProcessHandle.of(pid).ifPresent(left::add));
        new ProcessFiles(directory.resolve("data")).readPids().values()
                .forEach(pid -> ProcessHandle.of(pid).ifPresent(left::add));
        for (ProcessHandle process : left) {
            process.destroyForcibly();
        }
        for (ProcessHandle process : left) {
            process.onExit().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void upServesClientsAndKeepsAnsweringAfterAReplicaIsKilled() throws Exception {
        Path data = directory.resolve("data");
        Path output = directory.resolve("up.out");
        up = new ProcessBuilder(javaCommand("up", "--data-dir", data.toString(), "--base-port",
                String.valueOf(LocalClusterTemplate.freeBasePort(4, new Random())), "--parent-pid", String.valueOf(ProcessHandle.current().pid())))
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        String started = awaitOutput(output, "cluster ready", READY_DEADLINE);
        Map<Integer, Long> pids = replicaPids(started);
        startedPids.addAll(pids.values());
        assertEquals(4, pids.size(), started);
        assertEquals(pids, new ProcessFiles(data).readPids());
        String cluster = data.resolve(ClusterFile.FILE_NAME).toString();

        expect(ExitCodes.OK, "OK (no previous value)", "client", "--cluster", cluster, "put", "greeting", "hello");
        expect(ExitCodes.OK, "OK value=\"hello\"", "client", "--cluster", cluster, "get", "greeting");
        expect(ExitCodes.OK, "OK", "client", "--cluster", cluster, "cas", "greeting", "hello", "bye");
        expect(ExitCodes.NEGATIVE, "COMPARE_FAILED current=\"bye\"", "client", "--cluster", cluster, "cas",
                "greeting", "hello", "again");
        expect(ExitCodes.OK, "OK", "client", "--cluster", cluster, "cas", "fresh", "absent", "one");
        expect(ExitCodes.OK, "OK deleted=\"bye\"", "client", "--cluster", cluster, "delete", "greeting");
        expect(ExitCodes.NEGATIVE, "NOT_FOUND", "client", "--cluster", cluster, "get", "greeting");
        CliProcess separateJvm = runJava("client", "--cluster", cluster, "get", "fresh");
        assertEquals(new CliProcess(ExitCodes.OK, "OK value=\"one\"\n"), separateJvm);

        long killed = pids.get(3);
        ProcessHandle.of(killed).orElseThrow().destroyForcibly();
        awaitOutput(output, "replica 3 (pid " + killed + ") was killed by signal 9 (SIGKILL)", Duration.ofMinutes(1));

        expect(ExitCodes.OK, "OK (no previous value)", "client", "--cluster", cluster, "put", "after", "kill");
        expect(ExitCodes.OK, "OK value=\"kill\"", "client", "--cluster", cluster, "get", "after");
        expect(ExitCodes.OK, "OK previous=\"one\"", "client", "--cluster", cluster, "put", "fresh", "two");
        CliRun status = CliRun.of("status", "--cluster", cluster);
        assertEquals(ExitCodes.NEGATIVE, status.exitCode(), status::toString);
        assertTrue(status.out().matches("(?s).*\\n3\\s+unreachable\\s.*connection refused.*"), status::toString);
        assertEquals(3, status.out().split("\\n\\d\\s+serving\\s").length - 1, status::toString);
        assertTrue(status.out().contains("3 of 4 replicas serving"), status::toString);

        up.destroy();
        assertTrue(up.waitFor(90, TimeUnit.SECONDS), "up did not stop after SIGTERM");
        String stopped = Files.readString(output, StandardCharsets.UTF_8);
        assertTrue(stopped.contains("cluster stopped"), stopped);
        for (long pid : pids.values()) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "replica pid " + pid
                    + " still runs:\n" + stopped);
        }
        assertFalse(Files.exists(data.resolve(ProcessFiles.PIDS_FILE)), stopped);
    }

    private static void expect(int exitCode, String line, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(exitCode, run.exitCode(), run::toString);
        assertEquals(line + "\n", run.out(), run::toString);
    }

    private record CliProcess(int exitCode, String out) {}

    private CliProcess runJava(String... args) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(javaCommand(args)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        startedPids.add(process.pid());
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(2, TimeUnit.MINUTES));
        return new CliProcess(process.exitValue(), out);
    }

    private static List<String> javaCommand(String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), ConcordatCli.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    private String awaitOutput(Path output, String expected, Duration deadline) throws Exception {
        long end = System.nanoTime() + deadline.toNanos();
        while (true) {
            String text = Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
            if (text.contains(expected)) {
                return text;
            }
            if (!up.isAlive()) {
                fail("concordat up exited with " + up.exitValue() + " before printing \"" + expected + "\":\n" + text
                        + logs());
            }
            if (System.nanoTime() > end) {
                fail("no \"" + expected + "\" from concordat up within " + deadline.toSeconds() + " s:\n" + text
                        + logs());
            }
            Thread.sleep(250);
        }
    }

    private String logs() throws IOException {
        Path logs = directory.resolve("data").resolve(LocalSupervisor.LOGS_DIRECTORY);
        var text = new StringBuilder();
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path log : files.sorted().toList()) {
                    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                    text.append("\n--- ").append(log.getFileName()).append(" (last 20 lines)\n");
                    lines.subList(Math.max(0, lines.size() - 20), lines.size()).forEach(line -> text.append(line)
                            .append('\n'));
                }
            }
        }
        return text.toString();
    }

    private static Map<Integer, Long> replicaPids(String output) {
        Map<Integer, Long> pids = new TreeMap<>();
        Matcher matcher = REPLICA_LINE.matcher(output);
        while (matcher.find()) {
            pids.put(Integer.parseInt(matcher.group(1)), Long.parseLong(matcher.group(2)));
        }
        return pids;
    }
}
