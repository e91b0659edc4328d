package io.concordat.cli;

import io.concordat.client.BftClient;
import io.concordat.client.BftClientSettings;
import io.concordat.config.KeyFileException;
import io.concordat.config.KeyName;
import io.concordat.config.KeyStoreDirectory;
import io.concordat.crypto.Ed25519KeyPair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.function.Consumer;

/** Builds {@link BftClient}s for a cluster described by a {@code cluster.json}. */
public final class ClusterClients {
    private ClusterClients() {}

    /** Settings for a client of {@code cluster} that signs with {@code keyPair}; the rest are the defaults. */
    public static BftClientSettings.Builder settings(ClusterFile cluster, Ed25519KeyPair keyPair) {
        BftClientSettings.Builder builder = BftClientSettings.builder()
                .faultsTolerated(cluster.faultsTolerated())
                .keyPair(keyPair);
        for (ClusterFile.Replica replica : cluster.replicas()) {
            builder.replica(replica.id(), replica.clientEndpoint(), replica.publicKey());
        }
        return builder;
    }

    /**
     * The client key pair at {@code keyFile}. If neither the key nor its public half exists, a new pair is
     * generated there (owner-only permissions), and {@code announce} is told where.
     */
    static Ed25519KeyPair loadOrGenerateKey(Path keyFile, Consumer<String> announce) {
        if (Files.exists(keyFile)) {
            try {
                return KeyStoreDirectory.readPrivateKeyFile(keyFile);
            } catch (KeyFileException e) {
                throw new CliException(e.getMessage());
            }
        }
        String fileName = keyFile.getFileName().toString();
        if (!fileName.endsWith(KeyStoreDirectory.PRIVATE_SUFFIX)) {
            throw new CliException("no client key file " + keyFile + ", and a new one can only be generated under a"
                    + " name ending in .key (for example keys/client-local.key)");
        }
        KeyName name;
        try {
            name = new KeyName(fileName.substring(0, fileName.length() - KeyStoreDirectory.PRIVATE_SUFFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new CliException("no client key file " + keyFile + ", and cannot generate one under this name: "
                    + e.getMessage());
        }
        var keys = new KeyStoreDirectory(keyFile.toAbsolutePath().getParent());
        try {
            Ed25519KeyPair generated = keys.generate(name, new SecureRandom(), KeyStoreDirectory.Overwrite.REFUSE);
            announce.accept("generated a new client key " + keyFile);
            return generated;
        } catch (KeyFileException e) {
            throw new CliException(e.getMessage());
        }
    }
}
