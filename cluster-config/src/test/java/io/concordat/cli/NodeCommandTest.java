package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.config.LocalCluster;
import io.concordat.config.LocalClusterTemplate;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code concordat node} refuses to start from anything but a definition the administrator signed. */
class NodeCommandTest {
    @TempDir
    Path directory;

    @Test
    void aDefinitionChangedAfterSigningIsRefused() throws Exception {
        LocalCluster cluster = LocalClusterTemplate.generate(4, directory, 30000);
        Path definition = cluster.definitionFile();
        Files.writeString(definition, Files.readString(definition).replace("30101", "30999"));

        CliRun run = CliRun.of("node", "--config", definition.toString(), "--replica", "1");

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("refusing to start from " + definition), run::toString);
        assertTrue(run.err().contains("changed after it was signed"), run::toString);
    }

    @Test
    void aDefinitionSignedByAnotherAdministratorIsRefused() throws Exception {
        LocalCluster cluster = LocalClusterTemplate.generate(4, directory.resolve("a"), 30000);
        LocalCluster other = LocalClusterTemplate.generate(4, directory.resolve("b"), 30000);

        CliRun run = CliRun.of("node", "--config", cluster.definitionFile().toString(), "--replica", "0",
                "--admin-key", other.administratorPublicKeyFile().toString());

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("refusing to start"), run::toString);
    }

    @Test
    void aMissingAdministratorKeyListsWhereItLooked() throws Exception {
        Path config = directory.resolve("cluster.conf");
        Files.writeString(config, "concordat.cluster {}");

        CliRun run = CliRun.of("node", "--config", config.toString(), "--replica", "0");

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("no administrator public key"), run::toString);
        assertTrue(run.err().contains(directory.resolve("keys/administrator.pub").toString()), run::toString);
        assertTrue(run.err().contains("--admin-key"), run::toString);
    }

    @Test
    void aReplicaNotInTheClusterIsAUsageError() {
        LocalCluster cluster = LocalClusterTemplate.generate(4, directory, 30000);

        CliRun run = CliRun.of("node", "--config", cluster.definitionFile().toString(), "--replica", "9");

        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("replica 9 is not in cluster local-4"), run::toString);
    }

    @Test
    void aMissingReplicaKeySaysWhichFileAndHowToGiveIt() throws Exception {
        LocalCluster cluster = LocalClusterTemplate.generate(4, directory, 30000);
        Files.delete(cluster.replicaPrivateKeyFile(3));

        CliRun run = CliRun.of("node", "--config", cluster.definitionFile().toString(), "--replica", "3");

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().contains(cluster.replicaPrivateKeyFile(3).toString()), run::toString);
        assertTrue(run.err().contains("--key FILE"), run::toString);
    }

    @Test
    void aMissingDefinitionIsNamed() {
        CliRun run = CliRun.of("node", "--config", directory.resolve("nothing.conf").toString(), "--replica", "0");

        assertEquals(ExitCodes.FAILURE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("no cluster definition file"), run::toString);
    }
}
