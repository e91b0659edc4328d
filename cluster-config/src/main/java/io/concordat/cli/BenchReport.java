package io.concordat.cli;

import io.concordat.launcher.Json;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import org.HdrHistogram.Histogram;

/**
 * The summary of one {@code concordat bench} run, as text for people and as JSON for docs/benchmarks.md
 * (format {@code concordat-bench v1}; latencies in microseconds, throughput in operations per second).
 */
record BenchReport(String cluster, int replicas, int faultsTolerated, int clients, int payloadBytes,
        long warmupSeconds, long durationSeconds, long operations, Map<String, Long> errors, double throughput,
        Latencies latencyMicroseconds, OptionalDouble requestsPerBatch, Optional<String> commit, Instant finishedAt) {

    static final String FORMAT = "concordat-bench v1";

    /** Percentiles and the maximum, in microseconds; all zero when nothing was measured. */
    record Latencies(long p50, long p90, long p99, long p999, long max, double mean) {
        static Latencies of(Histogram histogram) {
            if (histogram.getTotalCount() == 0) {
                return new Latencies(0, 0, 0, 0, 0, 0);
            }
            return new Latencies(histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(90),
                    histogram.getValueAtPercentile(99), histogram.getValueAtPercentile(99.9), histogram.getMaxValue(),
                    histogram.getMean());
        }
    }

    static BenchReport of(ClusterFile cluster, LoadGenerator.Settings settings, LoadGenerator.Outcome outcome,
            Optional<String> commit, Instant finishedAt) {
        double seconds = outcome.measured().toNanos() / 1e9;
        return new BenchReport(cluster.name(), cluster.replicas().size(), cluster.faultsTolerated(),
                settings.clients(), settings.payloadBytes(), settings.warmup().toSeconds(),
                settings.duration().toSeconds(), outcome.operations(), Map.copyOf(outcome.errors()),
                outcome.operations() / seconds, Latencies.of(outcome.latencyMicroseconds()),
                requestsPerBatch(outcome), commit, finishedAt);
    }

    /**
     * Measured operations over the sequence numbers executed in the window: the mean batch size, near enough
     * (the two counts start within a second of each other; an idle window has no batches).
     */
    private static OptionalDouble requestsPerBatch(LoadGenerator.Outcome outcome) {
        OptionalLong batches = outcome.batchesExecuted();
        if (batches.isEmpty() || batches.getAsLong() <= 0) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(outcome.operations() / (double) batches.getAsLong());
    }

    long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    String toText() {
        var out = new StringBuilder();
        out.append(String.format("bench: cluster %s (%d replicas, f = %d), %d client(s), %d-byte values, %d s measured"
                + " after %d s warm-up%n", cluster, replicas, faultsTolerated, clients, payloadBytes, durationSeconds,
                warmupSeconds));
        out.append(String.format("throughput  %.1f ops/s  (%d operations, %d errors)%n", throughput, operations,
                errorCount()));
        requestsPerBatch.ifPresent(mean -> out.append(String.format("batches     %.1f requests per batch (mean)%n",
                mean)));
        Latencies latency = latencyMicroseconds;
        out.append(String.format("latency     p50 %s  p90 %s  p99 %s  p99.9 %s  max %s  (mean %s)%n",
                millis(latency.p50()), millis(latency.p90()), millis(latency.p99()), millis(latency.p999()),
                millis(latency.max()), millis(Math.round(latency.mean()))));
        if (!errors.isEmpty()) {
            out.append("errors      ");
            errors.forEach((kind, count) -> out.append(kind).append(' ').append(count).append("  "));
            out.append('\n');
        }
        return out.toString();
    }

    String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("finishedAt", finishedAt.toString());
        root.put("commit", commit);
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("availableProcessors", Runtime.getRuntime().availableProcessors());
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        root.put("machine", machine);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("cluster", cluster);
        parameters.put("replicas", replicas);
        parameters.put("faultsTolerated", faultsTolerated);
        parameters.put("clients", clients);
        parameters.put("payloadBytes", payloadBytes);
        parameters.put("warmupSeconds", warmupSeconds);
        parameters.put("durationSeconds", durationSeconds);
        root.put("parameters", parameters);
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("operations", operations);
        results.put("errors", errorCount());
        results.put("errorsByKind", new java.util.TreeMap<>(errors));
        results.put("throughputOperationsPerSecond", Math.round(throughput * 10) / 10.0);
        requestsPerBatch.ifPresent(mean -> results.put("meanRequestsPerBatch", Math.round(mean * 10) / 10.0));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("p50", latencyMicroseconds.p50());
        latency.put("p90", latencyMicroseconds.p90());
        latency.put("p99", latencyMicroseconds.p99());
        latency.put("p99.9", latencyMicroseconds.p999());
        latency.put("max", latencyMicroseconds.max());
        latency.put("mean", Math.round(latencyMicroseconds.mean() * 10) / 10.0);
        results.put("latencyMicroseconds", latency);
        root.put("results", results);
        return Json.pretty(root);
    }

    private static String millis(long microseconds) {
        return String.format("%.2f ms", microseconds / 1000.0);
    }
}
