package io.concordat.config;

import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * Creates a ready-to-run local cluster on 127.0.0.1: keys for the administrator, every replica and one client,
 * and a definition signed by the administrator key. Layout under the data directory:
 * <pre>
 * DATA/cluster.conf        the definition (HOCON)
 * DATA/cluster.conf.sig    its detached signature
 * DATA/keys/administrator.key|.pub, DATA/keys/replica-I.key|.pub, DATA/keys/client-local.key|.pub
 * </pre>
 * Ports for replica I (0..n-1), from the base port B: Artery {@code B + I}, client endpoint
 * {@code B + 100 + I}, admin endpoint {@code B + 200 + I}. With the default base port 25520, replica 0 uses
 * 25520, 25620 and 25720. The definition uses the protocol defaults and lets any client in.
 */
public final class LocalClusterTemplate {
    public static final String HOST = "127.0.0.1";
    public static final int DEFAULT_BASE_PORT = 25520;
    public static final int CLIENT_PORT_OFFSET = 100;
    public static final int ADMIN_PORT_OFFSET = 200;
    public static final String DEFINITION_FILE = "cluster.conf";
    public static final String KEYS_DIRECTORY = "keys";
    /** Beyond this, the port blocks of 100 would overlap. */
    public static final int REPLICAS_MAX = CLIENT_PORT_OFFSET;
    static final KeyName CLIENT_KEY = KeyName.client("local");

    private LocalClusterTemplate() {}

    /** Every port a local cluster of {@code replicas} at {@code basePort} uses: each replica's Artery, client and admin port. */
    public static List<Integer> ports(int replicas, int basePort) {
        List<Integer> ports = new ArrayList<>();
        for (int replicaId = 0; replicaId < replicas; replicaId++) {
            ports.add(basePort + replicaId);
            ports.add(basePort + CLIENT_PORT_OFFSET + replicaId);
            ports.add(basePort + ADMIN_PORT_OFFSET + replicaId);
        }
        return ports;
    }

    /**
     * A base port, drawn from 12000-31999 (below Linux's ephemeral range), at which every port of a local
     * cluster of {@code replicas} can be bound on the loopback interface now: for tests that start clusters
     * beside others. Another process may still take a port before the cluster binds it.
     *
     * @throws IllegalStateException if 100 draws found no free block
     */
    public static int freeBasePort(int replicas, Random random) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = 12_000 + random.nextInt(20_000);
            if (ports(replicas, base).stream().allMatch(LocalClusterTemplate::canBindLoopback)) {
                return base;
            }
        }
        throw new IllegalStateException("no free block of ports found for " + replicas + " replicas");
    }

    private static boolean canBindLoopback(int port) {
        try (var socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException busy) {
            return false;
        }
    }

    /** {@link #generate(int, Path, int, SecureRandom)} with a fresh {@link SecureRandom}. */
    public static LocalCluster generate(int replicas, Path dataDirectory, int basePort) {
        return generate(replicas, dataDirectory, basePort, new SecureRandom());
    }

    /**
     * Generates keys and a signed definition for {@code replicas} = 3f+1 replicas (4 and 7 are the usual sizes).
     *
     * @throws IllegalArgumentException if {@code replicas} is not 3f+1 with f >= 1, or the ports do not fit
     * @throws KeyFileException if the data directory already holds a definition or any of the keys
     */
    public static LocalCluster generate(int replicas, Path dataDirectory, int basePort, SecureRandom random) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        Objects.requireNonNull(random, "random");
        requireShape(replicas, basePort);
        Path definitionFile = dataDirectory.resolve(DEFINITION_FILE);
        if (Files.exists(definitionFile)) {
            throw new KeyFileException(definitionFile + " already exists; refusing to replace a cluster definition"
                    + " (open it instead, or use another data directory)");
        }
        KeyStoreDirectory keys = new KeyStoreDirectory(dataDirectory.resolve(KEYS_DIRECTORY));
        requireNoKeys(keys, replicas);
        Ed25519KeyPair administrator = keys.generate(KeyName.administrator(), random, KeyStoreDirectory.Overwrite.REFUSE);
        List<ReplicaDefinition> replicaDefinitions = new ArrayList<>();
        for (int id = 0; id < replicas; id++) {
            Ed25519KeyPair replica = keys.generate(KeyName.replica(id), random, KeyStoreDirectory.Overwrite.REFUSE);
            replicaDefinitions.add(new ReplicaDefinition(id, HOST, basePort + id, basePort + CLIENT_PORT_OFFSET + id,
                    basePort + ADMIN_PORT_OFFSET + id, replica.publicKey()));
        }
        keys.generate(CLIENT_KEY, random, KeyStoreDirectory.Overwrite.REFUSE);
        ClusterDefinition definition = new ClusterDefinition("local-" + replicas, (replicas - 1) / 3,
                replicaDefinitions, ProtocolSettings.defaults(), Set.of());
        SignedClusterDefinitionFiles.write(definitionFile,
                SignedClusterDefinition.sign(definition, administrator.signer()));
        return new LocalCluster(dataDirectory, definitionFile, keys, definition, administrator.publicKey());
    }

    /**
     * Opens a local cluster generated earlier, verifying its definition against the administrator key in its
     * key directory.
     */
    public static LocalCluster open(Path dataDirectory) {
        Objects.requireNonNull(dataDirectory, "dataDirectory");
        KeyStoreDirectory keys = new KeyStoreDirectory(dataDirectory.resolve(KEYS_DIRECTORY));
        PublicKey administratorKey = keys.loadPublicKey(KeyName.administrator());
        Path definitionFile = dataDirectory.resolve(DEFINITION_FILE);
        ClusterDefinition definition = SignedClusterDefinitionFiles.readVerified(definitionFile,
                List.of(administratorKey), new Ed25519Verifier());
        return new LocalCluster(dataDirectory, definitionFile, keys, definition, administratorKey);
    }

    /**
     * Opens the local cluster in {@code dataDirectory} if there is one, else generates it: what
     * {@code concordat up} does on every start. An existing cluster must have the requested size and ports.
     */
    public static LocalCluster openOrGenerate(int replicas, Path dataDirectory, int basePort) {
        requireShape(replicas, basePort);
        if (!Files.exists(dataDirectory.resolve(DEFINITION_FILE))) {
            return generate(replicas, dataDirectory, basePort);
        }
        LocalCluster existing = open(dataDirectory);
        ReplicaDefinition first = existing.definition().replicas().get(0);
        if (existing.definition().size() != replicas || first.arteryPort() != basePort) {
            throw new IllegalArgumentException(dataDirectory + " already holds a cluster of "
                    + existing.definition().size() + " replicas on base port " + first.arteryPort()
                    + ", not " + replicas + " replicas on base port " + basePort
                    + "; use another data directory, or delete this one to start afresh");
        }
        return existing;
    }

    /** Checked before writing anything, so a refusal leaves no half-generated cluster behind. */
    private static void requireNoKeys(KeyStoreDirectory keys, int replicas) {
        List<KeyName> names = new ArrayList<>(List.of(KeyName.administrator(), CLIENT_KEY));
        for (int id = 0; id < replicas; id++) {
            names.add(KeyName.replica(id));
        }
        for (KeyName name : names) {
            for (Path file : List.of(keys.privateKeyFile(name), keys.publicKeyFile(name))) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw new KeyFileException(file + " already exists; refusing to generate a local cluster over"
                            + " existing keys (use another data directory, or delete this one to start afresh)");
                }
            }
        }
    }

    private static void requireShape(int replicas, int basePort) {
        if (replicas < 4 || replicas > REPLICAS_MAX || (replicas - 1) % 3 != 0) {
            throw new IllegalArgumentException("a local cluster has n = 3f+1 replicas with f >= 1, at most "
                    + REPLICAS_MAX + " (4, 7, 10, ...), not " + replicas);
        }
        long highestPort = (long) basePort + ADMIN_PORT_OFFSET + replicas - 1;
        if (basePort < DefinitionRules.PORT_MIN || highestPort > DefinitionRules.PORT_MAX) {
            throw new IllegalArgumentException("base port " + basePort + " puts the ports of " + replicas
                    + " replicas at " + basePort + ".." + highestPort + ", outside " + DefinitionRules.PORT_MIN
                    + ".." + DefinitionRules.PORT_MAX);
        }
    }
}
