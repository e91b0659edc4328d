package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.KeyEncoding;
import io.concordat.launcher.StatusDocument;
import io.concordat.protocol.DropReason;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.replica.ExecutedState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class StatusTableTest {
    private static final Digest CHECKPOINT = new Digest(Bytes.fromHex("ab".repeat(32)));

    private static List<ClusterFile.Replica> replicas() {
        List<ClusterFile.Replica> replicas = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            replicas.add(new ClusterFile.Replica(id, "127.0.0.1", 25520 + id, 25620 + id, 25720 + id,
                    KeyEncoding.parsePublicKey("ed25519-public:" + String.format("%02x", id).repeat(32))));
        }
        return replicas;
    }

    private static ReplicaProbe.Serving serving(int id, long lastExecuted) {
        return new ReplicaProbe.Serving(id, 1, 1, lastExecuted, 128, 384, Optional.of("sha256:" + "ab".repeat(32)),
                2, Optional.empty(), OptionalLong.empty());
    }

    @Test
    void anUnreachableReplicaIsARowNotAnError() {
        List<ReplicaProbe> probes = List.of(serving(0, 200), serving(1, 200),
                new ReplicaProbe.NotServing(2, "the replica did not answer within 5 s"),
                new ReplicaProbe.Unreachable(3, "connection refused"));

        String table = StatusTable.render(replicas(), probes);
        String[] lines = table.split("\n");

        assertEquals(5, lines.length, table);
        assertTrue(lines[0].startsWith("REPLICA  STATE"), table);
        assertTrue(lines[1].matches("0\\s+serving\\s+1\\s+1\\s+200\\s+128 abababababab\\s+2\\s+http://127.0.0.1:25720"),
                lines[1]);
        assertTrue(lines[3].matches("2\\s+not serving(\\s+-){5}\\s+http://127.0.0.1:25722\\s+the replica did not"
                + " answer within 5 s"), lines[3]);
        assertTrue(lines[4].matches("3\\s+unreachable(\\s+-){5}\\s+http://127.0.0.1:25723\\s+connection refused"),
                lines[4]);
        int viewColumn = lines[0].indexOf("VIEW");
        for (int line = 1; line < lines.length; line++) {
            assertTrue(lines[line].charAt(viewColumn) != ' ', "columns line up: " + table);
        }
    }

    @Test
    void theSummarySaysWhetherTheClusterCanMakeProgress() {
        assertEquals("4 of 4 replicas serving, f = 1: all replicas serving", StatusTable.summary(1,
                List.of(serving(0, 1), serving(1, 1), serving(2, 1), serving(3, 1))));
        assertTrue(StatusTable.summary(1, List.of(serving(0, 1), serving(1, 1), serving(2, 1),
                new ReplicaProbe.Unreachable(3, "x"))).endsWith("the cluster can make progress (it needs 3 = 2f+1)"));
        assertTrue(StatusTable.summary(1, List.of(serving(0, 1), serving(1, 1), new ReplicaProbe.Unreachable(2, "x"),
                new ReplicaProbe.Unreachable(3, "x"))).contains("CANNOT make progress"));
    }

    @Test
    void theAdminStatusDocumentReadsBackAsServing() {
        var status = new ReplicaStatus(2, 5, 1, 300, 256, 512, Optional.of(CHECKPOINT), 7,
                Map.of(DropReason.DUPLICATE, 3L));
        var executed = new ExecutedState(300, new Digest(Bytes.fromHex("cd".repeat(32))));

        ReplicaProbe probe = AdminProbes.fromResponse(2, 200,
                StatusDocument.render(status, Optional.of(executed), Map.of()));

        assertEquals(new ReplicaProbe.Serving(2, 5, 1, 300, 256, 512, Optional.of("sha256:" + "ab".repeat(32)), 7,
                Optional.of("sha256:" + "cd".repeat(32)), OptionalLong.of(300)), probe);
    }

    @Test
    void beforeTheFirstCheckpointTheDigestIsEmpty() {
        var status = new ReplicaStatus(0, 0, 0, 3, 0, 256, Optional.empty(), 0, Map.of());

        var probe = (ReplicaProbe.Serving) AdminProbes.fromResponse(0, 200, StatusDocument.render(status,
                Optional.empty(), Map.of()));

        assertEquals(Optional.empty(), probe.stableCheckpointDigest());
        assertEquals(Optional.empty(), probe.applicationStateDigest());
        assertEquals(OptionalLong.empty(), probe.applicationStateSequence());
        assertTrue(StatusTable.render(replicas().subList(0, 1), List.of(probe)).contains("0 (none)"));
    }

    @Test
    void oddAnswersBecomeNotServingWithTheReason() {
        assertEquals(new ReplicaProbe.NotServing(1, "starting"), AdminProbes.fromResponse(1, 503,
                StatusDocument.unavailable(1, "starting")));
        assertInstanceOf(ReplicaProbe.NotServing.class, AdminProbes.fromResponse(1, 200, "<html>hello</html>"));
        assertInstanceOf(ReplicaProbe.NotServing.class, AdminProbes.fromResponse(1, 200, "{\"replicaId\": 1}"));
        assertEquals(new ReplicaProbe.NotServing(1, "the endpoint answered as replica 2"), AdminProbes.fromResponse(1,
                200, StatusDocument.render(new ReplicaStatus(2, 0, 0, 0, 0, 1, Optional.empty(), 0, Map.of()),
                        Optional.empty(), Map.of())));
        assertInstanceOf(ReplicaProbe.NotServing.class, AdminProbes.fromResponse(1, 200, "x".repeat(100_000)));
    }

    @Test
    void aReplicaThatIsNotListeningIsUnreachable() throws IOException {
        int closedPort;
        try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        ReplicaProbe probe = new AdminProbes(Duration.ofSeconds(2))
                .probe(3, URI.create("http://127.0.0.1:" + closedPort)).join();

        assertEquals(new ReplicaProbe.Unreachable(3, "connection refused"), probe);
    }

    @Test
    void statusAgainstAClusterThatIsNotRunningPrintsTheTableAndExitsThree() throws IOException {
        var directory = java.nio.file.Files.createTempDirectory("concordat-status");
        try {
            List<ClusterFile.Replica> closed = new ArrayList<>();
            for (int id = 0; id < 4; id++) {
                int port;
                try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
                closed.add(new ClusterFile.Replica(id, "127.0.0.1", 1, 2, port, replicas().get(id).publicKey()));
            }
            var file = directory.resolve("cluster.json");
            new ClusterFile("down", 1, closed, "keys/client.key").write(file);

            CliRun run = CliRun.of("status", "--cluster", file.toString(), "--timeout", "1");

            assertEquals(ExitCodes.NEGATIVE, run.exitCode(), run::toString);
            assertEquals(4, run.out().split("unreachable").length - 1, run::toString);
            assertTrue(run.out().contains("0 of 4 replicas serving"), run::toString);
            assertEquals("", run.err());
        } finally {
            try (var files = java.nio.file.Files.walk(directory)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
