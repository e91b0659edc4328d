package io.concordat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalClusterTemplateTest {
    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(ints = {4, 7})
    void generatesKeysAndASignedDefinition(int replicas) throws Exception {
        LocalCluster cluster = LocalClusterTemplate.generate(replicas, dataDirectory, 30000);

        ClusterDefinition definition = cluster.definition();
        assertEquals((replicas - 1) / 3, definition.faultsTolerated());
        assertEquals(replicas, definition.size());
        assertEquals("local-" + replicas, definition.name());
        assertEquals(dataDirectory.resolve("cluster.conf"), cluster.definitionFile());
        assertEquals(dataDirectory.resolve("cluster.conf.sig"), cluster.signatureFile());
        assertEquals(ProtocolSettings.defaults(), definition.protocol());
        for (int id = 0; id < replicas; id++) {
            ReplicaDefinition replica = definition.replicas().get(id);
            assertEquals(new ReplicaDefinition(id, "127.0.0.1", 30000 + id, 30100 + id, 30200 + id,
                    replica.publicKey()), replica);
            Ed25519KeyPair keyPair = cluster.keys().loadKeyPair(KeyName.replica(id));
            assertEquals(keyPair.publicKey(), replica.publicKey());
            assertEquals(dataDirectory.resolve("keys/replica-" + id + ".key"), cluster.replicaPrivateKeyFile(id));
            if (AtomicFiles.posix()) {
                assertEquals(PosixFilePermissions.fromString("rw-------"),
                        Files.getPosixFilePermissions(cluster.replicaPrivateKeyFile(id)));
            }
        }
        assertEquals(cluster.administratorKey(), KeyStoreDirectory.readPublicKeyFile(cluster.administratorPublicKeyFile()));
        cluster.keys().loadKeyPair(cluster.clientKey());
        assertEquals(definition, SignedClusterDefinitionFiles.readVerified(cluster.definitionFile(),
                List.of(cluster.administratorKey()), new Ed25519Verifier()));
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 7})
    void reopensWhatItGenerated(int replicas) {
        LocalCluster generated = LocalClusterTemplate.generate(replicas, dataDirectory, 30000);

        LocalCluster opened = LocalClusterTemplate.open(dataDirectory);

        assertEquals(generated, opened);
    }

    @Test
    void openOrGenerateGeneratesOnceAndThenReopens() {
        LocalCluster first = LocalClusterTemplate.openOrGenerate(4, dataDirectory, LocalClusterTemplate.DEFAULT_BASE_PORT);

        LocalCluster second = LocalClusterTemplate.openOrGenerate(4, dataDirectory, LocalClusterTemplate.DEFAULT_BASE_PORT);

        assertEquals(first, second);
        assertEquals(25520, second.definition().replicas().get(0).arteryPort());
    }

    @Test
    void openOrGenerateRefusesADifferentShape() {
        LocalClusterTemplate.generate(4, dataDirectory, 30000);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LocalClusterTemplate.openOrGenerate(7, dataDirectory, 30000));

        assertTrue(error.getMessage().contains("already holds a cluster of 4 replicas on base port 30000, not 7"),
                error::getMessage);
    }

    @Test
    void refusesToGenerateOverAnExistingCluster() {
        LocalClusterTemplate.generate(4, dataDirectory, 30000);

        KeyFileException error = assertThrows(KeyFileException.class,
                () -> LocalClusterTemplate.generate(4, dataDirectory, 30000));

        assertTrue(error.getMessage().contains("cluster.conf already exists"), error::getMessage);
    }

    @Test
    void refusesToGenerateOverExistingKeys() {
        new KeyStoreDirectory(dataDirectory.resolve("keys")).generate(KeyName.replica(2), new java.security.SecureRandom(),
                KeyStoreDirectory.Overwrite.REFUSE);

        KeyFileException error = assertThrows(KeyFileException.class,
                () -> LocalClusterTemplate.generate(4, dataDirectory, 30000));

        assertTrue(error.getMessage().contains("replica-2.key already exists"), error::getMessage);
        assertTrue(!Files.exists(dataDirectory.resolve("keys/administrator.key")), "nothing was generated");
        assertTrue(!Files.exists(dataDirectory.resolve("cluster.conf")));
    }

    @Test
    void openingATamperedClusterFails() throws Exception {
        LocalCluster cluster = LocalClusterTemplate.generate(4, dataDirectory, 30000);
        Files.writeString(cluster.definitionFile(), Files.readString(cluster.definitionFile())
                .replace("host = \"127.0.0.1\", artery-port = 30001", "host = \"203.0.113.9\", artery-port = 30001"));

        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> LocalClusterTemplate.open(dataDirectory));

        assertTrue(error.getMessage().contains("the definition was changed after it was signed"), error::getMessage);
    }

    @Test
    void rejectsASizeThatIsNotThreeFPlusOne() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LocalClusterTemplate.generate(5, dataDirectory, 30000));

        assertTrue(error.getMessage().contains("n = 3f+1"), error::getMessage);
        assertTrue(!Files.exists(dataDirectory.resolve("keys")));
    }

    @Test
    void rejectsABasePortThatPushesPortsOutOfRange() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LocalClusterTemplate.generate(4, dataDirectory, 65400));

        assertTrue(error.getMessage().contains("65400..65603, outside 1..65535"), error::getMessage);
    }
}
