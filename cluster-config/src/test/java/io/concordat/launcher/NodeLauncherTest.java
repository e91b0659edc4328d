package io.concordat.launcher;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.config.KeyName;
import io.concordat.config.LocalCluster;
import io.concordat.config.LocalClusterTemplate;
import io.concordat.crypto.Ed25519KeyPair;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mistakes the launcher refuses before it starts anything; a running node is covered end to end. */
class NodeLauncherTest {
    @TempDir
    Path directory;

    private NodeLaunch launch(LocalCluster cluster, int replicaId, Ed25519KeyPair keyPair) {
        return new NodeLaunch(cluster.definition(), replicaId, keyPair, KeyValueStore::new,
                ConfigFactory.empty(), Optional.empty());
    }

    @Test
    void aReplicaOutsideTheDefinitionIsRefused() {
        LocalCluster cluster = LocalClusterTemplate.generate(4, directory, 30000);

        var refused = assertThrows(IllegalArgumentException.class, () -> NodeLauncher.start(launch(cluster, 4,
                cluster.keys().loadKeyPair(KeyName.replica(0)))));

        assertTrue(refused.getMessage().contains("replica 4 is not in cluster local-4"), refused.getMessage());
    }

    @Test
    void anotherReplicasKeyIsRefusedAndNamed() {
        LocalCluster cluster = LocalClusterTemplate.generate(4, directory, 30000);

        var refused = assertThrows(IllegalArgumentException.class, () -> NodeLauncher.start(launch(cluster, 0,
                cluster.keys().loadKeyPair(KeyName.replica(2)))));

        assertTrue(refused.getMessage().contains("not replica 0's key"), refused.getMessage());
        assertTrue(refused.getMessage().contains("it is replica 2's key"), refused.getMessage());
    }

    @Test
    void aBusyPortIsNamedBeforeAnythingStarts() throws IOException {
        try (var busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int clientPort = busy.getLocalPort();
            int basePort = clientPort - LocalClusterTemplate.CLIENT_PORT_OFFSET;
            LocalCluster cluster = LocalClusterTemplate.generate(4, directory, basePort);

            var refused = assertThrows(IllegalStateException.class, () -> NodeLauncher.start(launch(cluster, 0,
                    cluster.keys().loadKeyPair(KeyName.replica(0)))));

            assertTrue(refused.getMessage().contains("port " + clientPort + " on 127.0.0.1 (client endpoint)"),
                    refused.getMessage());
        }
    }
}
