package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.config.ClusterDefinition;
import io.concordat.config.KeyStoreDirectory;
import io.concordat.config.LocalCluster;
import io.concordat.config.LocalClusterTemplate;
import io.concordat.config.SignedClusterDefinitionFiles;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.KeyEncoding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, sign and cluster-json: the multi-host path's preparation steps. */
class KeyCommandsTest {
    @TempDir
    Path directory;

    @Test
    void keygenWritesAPairAndRefusesToReplaceIt() throws Exception {
        Path keys = directory.resolve("keys");

        CliRun first = CliRun.of("keygen", "--dir", keys.toString(), "--name", "replica-2");
        CliRun again = CliRun.of("keygen", "--dir", keys.toString(), "--name", "replica-2");
        CliRun badName = CliRun.of("keygen", "--dir", keys.toString(), "--name", "Bob");

        assertEquals(ExitCodes.OK, first.exitCode(), first::toString);
        String publicLine = Files.readString(keys.resolve("replica-2.pub")).strip();
        assertTrue(first.out().contains(publicLine), first::toString);
        assertEquals(KeyStoreDirectory.readPrivateKeyFile(keys.resolve("replica-2.key")).publicKey(),
                KeyEncoding.parsePublicKey(publicLine));
        assertEquals(ExitCodes.FAILURE, again.exitCode(), again::toString);
        assertTrue(again.err().contains("already exists") && again.err().contains("--force"), again::toString);
        assertEquals(ExitCodes.USAGE, badName.exitCode(), badName::toString);
    }

    @Test
    void signThenClusterJsonGiveAVerifiedDefinitionAndAClientFile() throws Exception {
        LocalCluster cluster = LocalClusterTemplate.generate(4, directory, 30000);
        Path definition = cluster.definitionFile();
        Files.writeString(definition, Files.readString(definition).replace("30103", "30999"));
        Path administratorKey = cluster.keys().privateKeyFile(io.concordat.config.KeyName.administrator());

        CliRun sign = CliRun.of("sign", "--config", definition.toString(), "--admin-key", administratorKey.toString());
        Path output = directory.resolve("out/cluster.json");
        CliRun export = CliRun.of("cluster-json", "--config", definition.toString(), "--admin-key",
                cluster.administratorPublicKeyFile().toString(), "--client-key", "client-alice.key", "--output",
                output.toString());

        assertEquals(ExitCodes.OK, sign.exitCode(), sign::toString);
        ClusterDefinition verified = SignedClusterDefinitionFiles.readVerified(definition,
                List.of(cluster.administratorKey()), new Ed25519Verifier());
        assertEquals(30999, verified.replicas().get(3).clientPort());
        assertEquals(ExitCodes.OK, export.exitCode(), export::toString);
        ClusterFile clusterFile = ClusterFile.read(output);
        assertEquals(30999, clusterFile.replicas().get(3).clientPort());
        assertEquals(directory.resolve("out/client-alice.key"), clusterFile.clientKeyFile(output));
    }

    @Test
    void signRefusesAnInvalidDefinitionAndSaysWhy() throws Exception {
        LocalCluster cluster = LocalClusterTemplate.generate(4, directory, 30000);
        Path definition = cluster.definitionFile();
        Files.writeString(definition, Files.readString(definition).replace("faults-tolerated = 1",
                "faults-tolerated = 2"));

        CliRun sign = CliRun.of("sign", "--config", definition.toString(), "--admin-key",
                cluster.keys().privateKeyFile(io.concordat.config.KeyName.administrator()).toString());

        assertEquals(ExitCodes.FAILURE, sign.exitCode(), sign::toString);
        assertTrue(sign.err().contains("not signing"), sign::toString);
        assertTrue(sign.err().contains("f = 2 needs exactly n = 3f+1 = 7 replicas"), sign::toString);
    }
}
