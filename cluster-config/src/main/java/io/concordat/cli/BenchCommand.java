package io.concordat.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code concordat bench}: closed-loop load with C clients, progress every second, then a summary. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Closed-loop load: C clients, each with its own key, put B-byte values as fast as the cluster"
                + " answers.", "Prints progress every second, then throughput and latency percentiles (HdrHistogram)."})
final class BenchCommand implements Callable<Integer> {
    static final int PAYLOAD_BYTES_MAX = 60 * 1024;
    static final int CLIENTS_MAX = 4096;

    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", paramLabel = "FILE", defaultValue = ConcordatCli.DEFAULT_CLUSTER_FILE,
            description = "The cluster file (default: ${DEFAULT-VALUE}).")
    Path clusterFile;

    @Option(names = "--clients", paramLabel = "C", defaultValue = "1",
            description = "Concurrent clients (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "10",
            description = "Measured seconds (default: ${DEFAULT-VALUE}).")
    int durationSeconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "3",
            description = "Unmeasured seconds before (default: ${DEFAULT-VALUE}).")
    int warmupSeconds;

    @Option(names = "--payload", paramLabel = "BYTES", defaultValue = "0",
            description = "Bytes per value (default: ${DEFAULT-VALUE}).")
    int payloadBytes;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the summary as JSON to FILE.")
    Optional<Path> jsonFile;

    @Override
    public Integer call() {
        requireRange("--clients", clients, 1, CLIENTS_MAX);
        requireRange("--duration", durationSeconds, 1, 24 * 3600);
        requireRange("--warmup", warmupSeconds, 0, 3600);
        requireRange("--payload", payloadBytes, 0, PAYLOAD_BYTES_MAX);
        ClusterFile cluster = ClusterFile.read(clusterFile);
        PrintWriter out = spec.commandLine().getOut();
        var settings = new LoadGenerator.Settings(clients, Duration.ofSeconds(warmupSeconds),
                Duration.ofSeconds(durationSeconds), payloadBytes);
        out.printf("bench: %d client(s), %d-byte values, %d s warm-up, %d s measured, against %s%n", clients,
                payloadBytes, warmupSeconds, durationSeconds, clusterFile);
        out.flush();
        LoadGenerator.Outcome outcome = new LoadGenerator(cluster, settings).run(progress -> {
            if (progress.warmingUp()) {
                out.printf("%4d s  warming up   %6d ops/s%n", progress.elapsedSeconds(), progress.lastSecondOperations());
            } else {
                long measuredSeconds = Math.max(1, progress.elapsedSeconds() - warmupSeconds);
                out.printf("%4d s  %8d ops  %6d ops/s  (mean %.0f ops/s)  errors %d%n", progress.elapsedSeconds(),
                        progress.measuredOperations(), progress.lastSecondOperations(),
                        progress.measuredOperations() / (double) measuredSeconds, progress.errors());
            }
            out.flush();
        });
        BenchReport report = BenchReport.of(cluster, settings, outcome, commit(), Instant.now());
        out.print(report.toText());
        out.flush();
        if (jsonFile.isPresent()) {
            try {
                Files.writeString(jsonFile.get(), report.toJson(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CliException("cannot write " + jsonFile.get() + ": " + e.getMessage());
            }
            out.println("wrote " + jsonFile.get());
            out.flush();
        }
        if (report.operations() == 0) {
            throw new CliException("no operation completed in the measured window; is the cluster running?"
                    + " (concordat status --cluster " + clusterFile + ")");
        }
        return ExitCodes.OK;
    }

    private static void requireRange(String option, int value, int minimum, int maximum) {
        if (value < minimum || value > maximum) {
            throw new CliException(option + " must lie in " + minimum + ".." + maximum + ", got " + value,
                    ExitCodes.USAGE);
        }
    }

    /** The commit measured: CONCORDAT_COMMIT (the ./concordat script sets it), else git in this directory. */
    private static Optional<String> commit() {
        String fromEnvironment = System.getenv("CONCORDAT_COMMIT");
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            return Optional.of(fromEnvironment.strip());
        }
        try {
            Process git = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
            if (!git.waitFor(5, TimeUnit.SECONDS)) {
                git.destroyForcibly();
                return Optional.empty();
            }
            String output = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return git.exitValue() == 0 && !output.isEmpty() ? Optional.of(output) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
