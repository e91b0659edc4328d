package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.config.LocalCluster;
import io.concordat.config.LocalClusterTemplate;
import io.concordat.crypto.KeyEncoding;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterFileTest {
    @TempDir
    Path directory;

    @Test
    void roundTripsThroughTheFile() {
        LocalCluster local = LocalClusterTemplate.generate(7, directory, 30000);
        ClusterFile written = ClusterFile.of(local.definition(), "keys/client-local.key");
        Path file = directory.resolve("cluster.json");

        written.write(file);
        ClusterFile read = ClusterFile.read(file);

        assertEquals(written, read);
        assertEquals(2, read.faultsTolerated());
        assertEquals(7, read.replicas().size());
        for (int id = 0; id < 7; id++) {
            ClusterFile.Replica replica = read.replicas().get(id);
            assertEquals(local.definition().replicas().get(id).publicKey(), replica.publicKey());
            assertEquals(URI.create("http://127.0.0.1:" + (30100 + id)), replica.clientEndpoint());
            assertEquals(URI.create("http://127.0.0.1:" + (30200 + id)), replica.adminEndpoint());
        }
        assertEquals(directory.resolve("keys/client-local.key"), read.clientKeyFile(file));
    }

    @Test
    void theFileIsReadableJsonWithTheDocumentedFields() throws Exception {
        LocalCluster local = LocalClusterTemplate.generate(4, directory, 30000);
        String json = ClusterFile.of(local.definition(), "keys/client-local.key").toJson();

        assertTrue(json.contains("\"format\": \"concordat-cluster-json v1\""), json);
        assertTrue(json.contains("\"faultsTolerated\": 1"), json);
        assertTrue(json.contains("\"clientEndpoint\": \"http://127.0.0.1:30100\""), json);
        assertTrue(json.contains("\"publicKey\": \""
                + KeyEncoding.encodePublicKey(local.definition().replicas().get(3).publicKey()) + "\""), json);
    }

    @Test
    void anAbsoluteClientKeyStaysAbsoluteAndIpv6HostsAreBracketed() {
        var replica = new ClusterFile.Replica(0, "::1", 1, 2, 3, somePublicKey());
        assertEquals(URI.create("http://[::1]:2"), replica.clientEndpoint());

        ClusterFile cluster = ClusterFile.of(LocalClusterTemplate.generate(4, directory, 30000).definition(),
                "/etc/concordat/client.key");
        assertEquals(Path.of("/etc/concordat/client.key"), cluster.clientKeyFile(directory.resolve("cluster.json")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "not json at all | not a valid cluster.json",
            "{\"format\": \"something else\"} | unsupported format",
            "{\"format\": \"concordat-cluster-json v1\", \"name\": \"x\"} | No configuration setting found",
            "{\"format\": \"concordat-cluster-json v1\", \"name\": \"x\", \"faultsTolerated\": 1, \"clientKey\": \"k\","
                    + " \"replicas\": []} | needs 3f+1 = 4 replicas",
            "{\"format\": \"concordat-cluster-json v1\", \"name\": \"x\", \"faultsTolerated\": \"one\","
                    + " \"clientKey\": \"k\", \"replicas\": []} | faultsTolerated"})
    void aBrokenFileIsRefusedWithAMessageThatSaysWhy(String text, String expected) {
        CliException refused = assertThrows(CliException.class, () -> ClusterFile.parse(text, "cluster.json"));

        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("cluster.json"), refused.getMessage());
    }

    @Test
    void aBadReplicaEntryIsNamedByIndex() {
        LocalCluster local = LocalClusterTemplate.generate(4, directory, 30000);
        String json = ClusterFile.of(local.definition(), "k").toJson();

        String badKey = json.replaceFirst("ed25519-public:[0-9a-f]{64}", "ed25519-public:1234");
        String badPort = json.replaceFirst("\"adminPort\": 30202", "\"adminPort\": 70000");
        String swapped = json.replaceFirst("\"id\": 1,", "\"id\": 7,");

        assertMessage(badKey, "replicas[0].publicKey");
        assertMessage(badPort, "replicas[2].adminPort: port 70000 is out of range");
        assertMessage(swapped, "entry 1 has id 7");
    }

    @Test
    void aMissingOrOversizedFileIsRefused() throws Exception {
        CliException missing = assertThrows(CliException.class, () -> ClusterFile.read(directory.resolve("none.json")));
        assertTrue(missing.getMessage().contains("no cluster file"), missing.getMessage());

        Path huge = directory.resolve("huge.json");
        Files.write(huge, new byte[(int) ClusterFile.FILE_BYTES_MAX + 1]);
        CliException oversized = assertThrows(CliException.class, () -> ClusterFile.read(huge));
        assertTrue(oversized.getMessage().contains("larger than"), oversized.getMessage());
    }

    private static void assertMessage(String json, String expected) {
        CliException refused = assertThrows(CliException.class, () -> ClusterFile.parse(json, "cluster.json"));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    private static io.concordat.crypto.PublicKey somePublicKey() {
        return KeyEncoding.parsePublicKey("ed25519-public:" + "ab".repeat(32));
    }

    @Test
    void replicasAreListedInIdOrder() {
        List<ClusterFile.Replica> replicas = List.of(
                new ClusterFile.Replica(1, "h", 1, 2, 3, somePublicKey()),
                new ClusterFile.Replica(0, "h", 4, 5, 6, somePublicKey()),
                new ClusterFile.Replica(2, "h", 7, 8, 9, somePublicKey()),
                new ClusterFile.Replica(3, "h", 10, 11, 12, somePublicKey()));
        assertThrows(IllegalArgumentException.class, () -> new ClusterFile("x", 1, replicas, "k"));
    }
}
