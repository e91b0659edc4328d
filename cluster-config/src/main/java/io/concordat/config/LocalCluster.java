package io.concordat.config;

import io.concordat.crypto.PublicKey;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A local cluster laid out by {@link LocalClusterTemplate}: its verified definition, where its files are,
 * and its key directory.
 *
 * @param dataDirectory the directory everything lives under
 * @param definitionFile {@code DATA/cluster.conf}; its signature is {@code DATA/cluster.conf.sig}
 * @param keys {@code DATA/keys}: the administrator, every replica and the {@code local} client key pairs
 * @param definition the definition, already verified against {@code administratorKey}
 * @param administratorKey the key that signed the definition; nodes of this cluster trust it
 */
public record LocalCluster(Path dataDirectory, Path definitionFile, KeyStoreDirectory keys,
        ClusterDefinition definition, PublicKey administratorKey) {

    public LocalCluster {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(definitionFile, "definitionFile");
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(administratorKey, "administratorKey");
    }

    public Path signatureFile() {
        return SignedClusterDefinitionFiles.signatureFileOf(definitionFile);
    }

    /** The public key file of the administrator, to hand to each node as its trusted administrator key. */
    public Path administratorPublicKeyFile() {
        return keys.publicKeyFile(KeyName.administrator());
    }

    /** The private key file of replica {@code replicaId}, which only that replica's node reads. */
    public Path replicaPrivateKeyFile(int replicaId) {
        return keys.privateKeyFile(KeyName.replica(replicaId));
    }

    /** The client key pair generated for command-line use ({@code client-local}). */
    public KeyName clientKey() {
        return LocalClusterTemplate.CLIENT_KEY;
    }
}
