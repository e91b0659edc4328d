package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.crypto.KeyEncoding;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client command against a cluster that is not there: a clear failure, never a stack trace. */
class ClientCommandTest {
    @TempDir
    Path directory;

    private Path clusterWithNothingListening() throws IOException {
        List<ClusterFile.Replica> replicas = new ArrayList<>();
        for (int id = 0; id < 4; id++) {
            int port;
            try (var socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            replicas.add(new ClusterFile.Replica(id, "127.0.0.1", 1, port, 2,
                    KeyEncoding.parsePublicKey("ed25519-public:" + String.format("%02x", id + 1).repeat(32))));
        }
        Path file = directory.resolve("cluster.json");
        new ClusterFile("gone", 1, replicas, "keys/client-test.key").write(file);
        return file;
    }

    @Test
    void anUnreachableClusterFailsWithAClearMessageAndAFreshKeyIsGenerated() throws IOException {
        Path file = clusterWithNothingListening();

        CliRun run = CliRun.of("client", "--cluster", file.toString(), "--timeout", "1", "put", "k", "v");

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("generated a new client key " + directory.resolve("keys/client-test.key")),
                run::toString);
        assertTrue(run.err().contains("no agreed result from the cluster within 1 s"), run::toString);
        assertTrue(Files.exists(directory.resolve("keys/client-test.seq")), run::toString);
        assertEquals("", run.out());
    }

    @Test
    void aMissingClusterFileSaysWhereItLooked() {
        CliRun run = CliRun.of("client", "--cluster", directory.resolve("nope.json").toString(), "get", "k");

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().startsWith("concordat: no cluster file "), run::toString);
    }

    @Test
    void aCorruptClientKeyIsRefusedWithoutShowingIt() throws IOException {
        Path file = clusterWithNothingListening();
        Path key = directory.resolve("keys/client-test.key");
        Files.createDirectories(key.getParent());
        Files.writeString(key, "ed25519-private:nothex");
        Files.setPosixFilePermissions(key, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        CliRun run = CliRun.of("client", "--cluster", file.toString(), "get", "k");

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("is not a valid private key file"), run::toString);
        assertTrue(!run.err().contains("nothex"), run::toString);
    }
}
