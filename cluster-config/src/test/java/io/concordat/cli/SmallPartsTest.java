package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.concordat.common.Bytes;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmallPartsTest {
    @TempDir
    Path directory;

    @Test
    void valuesPrintAsQuotedTextOrHex() {
        assertEquals("\"world\"", ValueText.render(Bytes.ofUtf8("world")));
        assertEquals("\"\"", ValueText.render(Bytes.EMPTY));
        assertEquals("\"say \\\"hi\\\" \\\\ é\"", ValueText.render(Bytes.ofUtf8("say \"hi\" \\ é")));
        assertEquals("0x0a", ValueText.render(Bytes.ofUtf8("\n")));
        assertEquals("0xff00", ValueText.render(Bytes.fromHex("ff00")));
    }

    @Test
    void exitCodesNameTheSignal() {
        assertEquals("was killed by signal 9 (SIGKILL) (exit code 137)", LocalSupervisor.describeExit(137));
        assertEquals("was killed by signal 15 (SIGTERM) (exit code 143)", LocalSupervisor.describeExit(143));
        assertEquals("exited with code 1", LocalSupervisor.describeExit(1));
    }

    @Test
    void theBenchReportCarriesPercentilesInMicroseconds() {
        var histogram = new Histogram(LoadGenerator.HIGHEST_TRACKABLE_MICROSECONDS, 3);
        for (int value = 1; value <= 1000; value++) {
            histogram.recordValue(value * 100L);
        }
        var outcome = new LoadGenerator.Outcome(1000, histogram, Map.of("TIMED_OUT", 2L), Duration.ofSeconds(10),
                java.util.OptionalLong.of(125));
        var settings = new LoadGenerator.Settings(16, Duration.ofSeconds(2), Duration.ofSeconds(10), 1024);
        var cluster = new ClusterFile("local-4", 1, java.util.List.of(replica(0), replica(1), replica(2), replica(3)),
                "k");

        BenchReport report = BenchReport.of(cluster, settings, outcome, Optional.of("abc123"),
                Instant.parse("2030-01-01T00:00:00Z"));
        Config json = ConfigFactory.parseString(report.toJson(),
                ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));

        assertEquals(100.0, report.throughput());
        assertEquals("concordat-bench v1", json.getString("format"));
        assertEquals("abc123", json.getString("commit"));
        assertEquals(16, json.getInt("parameters.clients"));
        assertEquals(1024, json.getInt("parameters.payloadBytes"));
        assertEquals(2, json.getLong("results.errors"));
        long p50 = json.getLong("results.latencyMicroseconds.p50");
        long p99 = json.getLong("results.latencyMicroseconds.p99");
        assertTrue(Math.abs(p50 - 50_000) <= 50, "p50 " + p50);
        assertTrue(Math.abs(p99 - 99_000) <= 100, "p99 " + p99);
        assertTrue(report.toText().contains("throughput  100.0 ops/s  (1000 operations, 2 errors)"), report.toText());
        assertTrue(report.toText().contains("p50 50.0"), report.toText());
        assertEquals(8.0, json.getDouble("results.meanRequestsPerBatch"), "1,000 operations in 125 batches");
        assertTrue(report.toText().contains("batches     8.0 requests per batch (mean)"), report.toText());
    }

    @Test
    void withoutTheReplicasCountsTheReportSaysNothingOfBatches() {
        var histogram = new Histogram(LoadGenerator.HIGHEST_TRACKABLE_MICROSECONDS, 3);
        histogram.recordValue(1000);
        var outcome = new LoadGenerator.Outcome(1, histogram, Map.of(), Duration.ofSeconds(1),
                java.util.OptionalLong.empty());
        var cluster = new ClusterFile("local-4", 1, java.util.List.of(replica(0), replica(1), replica(2), replica(3)),
                "k");
        BenchReport report = BenchReport.of(cluster, new LoadGenerator.Settings(1, Duration.ZERO, Duration.ofSeconds(1),
                0), outcome, Optional.empty(), Instant.parse("2030-01-01T00:00:00Z"));
        assertTrue(!report.toJson().contains("meanRequestsPerBatch"), report.toJson());
        assertTrue(!report.toText().contains("batches"), report.toText());
    }

    @Test
    void pidFilesRoundTripAndAReusedPidIsNotMistakenForAReplica() throws Exception {
        var files = new ProcessFiles(directory);
        Process unrelated = new ProcessBuilder("sleep", "60").start();
        try {
            files.writePids(Map.of(0, unrelated.pid()));
            files.writeUpPid(unrelated.pid());

            assertEquals(Map.of(0, unrelated.pid()), files.readPids());
            files.refuseIfRunning();
            assertEquals(Optional.empty(), ProcessFiles.runningConcordat(unrelated.pid()));
        } finally {
            unrelated.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        files.removeAll();
        assertEquals(Map.of(), files.readPids());
    }

    private static ClusterFile.Replica replica(int id) {
        return new ClusterFile.Replica(id, "127.0.0.1", 1 + id, 10 + id, 20 + id,
                io.concordat.crypto.KeyEncoding.parsePublicKey("ed25519-public:" + String.format("%02x", id).repeat(32)));
    }
}
