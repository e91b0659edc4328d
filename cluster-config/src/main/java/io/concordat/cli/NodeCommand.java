package io.concordat.cli;

import com.typesafe.config.ConfigFactory;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.config.ClusterDefinition;
import io.concordat.config.ClusterDefinitionException;
import io.concordat.config.KeyFileException;
import io.concordat.config.KeyName;
import io.concordat.config.KeyStoreDirectory;
import io.concordat.config.LocalClusterTemplate;
import io.concordat.config.ReplicaDefinition;
import io.concordat.config.SignedClusterDefinitionFiles;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.launcher.NodeLaunch;
import io.concordat.launcher.NodeLauncher;
import io.concordat.launcher.RunningNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code concordat node}: runs one replica in this JVM from a signed cluster definition, until SIGTERM or
 * Ctrl-C. This is how a replica runs on its own host; {@code concordat up} runs one of these per replica.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Runs one replica from a signed cluster definition until stopped (SIGTERM or Ctrl-C).",
                "The definition must verify under the administrator's public key."})
final class NodeCommand implements Callable<Integer> {
    /** How long a stopping node may take to leave the cluster and terminate. */
    static final Duration STOP_DEADLINE = Duration.ofSeconds(15);

    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "The cluster definition (cluster.conf); its signature is FILE.sig.")
    Path config;

    @Option(names = "--replica", required = true, paramLabel = "ID", description = "The replica this node runs.")
    int replicaId;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Where this node's files are: DIR/keys/replica-ID.key and, by default, "
                    + "DIR/keys/administrator.pub. Default: the definition's directory.")
    Optional<Path> dataDirectory;

    @Option(names = "--admin-key", paramLabel = "FILE",
            description = "The administrator's public key (.pub) the definition must be signed with. Default: "
                    + "DIR/keys/administrator.pub, else administrator.pub or keys/administrator.pub next to the "
                    + "definition.")
    Optional<Path> administratorKey;

    @Option(names = "--key", paramLabel = "FILE",
            description = "This replica's private key file. Default: DIR/keys/replica-ID.key.")
    Optional<Path> replicaKey;

    @Option(names = "--listen-host", paramLabel = "HOST",
            description = "The interface the client and admin endpoints bind (for example 0.0.0.0). Default: the "
                    + "replica's host in the definition.")
    Optional<String> listenHost;

    @Option(names = "--journal", paramLabel = "KIND", defaultValue = "h2",
            description = "Where the replica keeps what it must not forget: h2 (an H2 file database in "
                    + "DIR/replica-ID, the default), postgresql (concordat.replica.persistence.postgresql in "
                    + "application.conf), or in-memory (nothing survives a restart).")
    String journal;

    @Option(names = "--parent-pid", hidden = true, paramLabel = "PID",
            description = "Stop when this process ends (concordat up passes its own pid).")
    Optional<Long> parentPid;

    /** The journal choice as configuration; the node checks the value and names the key if it is wrong. */
    private com.typesafe.config.Config persistence(Path directory) {
        return ConfigFactory.parseMap(java.util.Map.of(
                "concordat.replica.persistence.journal", journal,
                "concordat.replica.persistence.data-directory", directory.toString()));
    }

    @Override
    public Integer call() {
        Logger log = LoggerFactory.getLogger(NodeCommand.class);
        Path definitionFile = config.toAbsolutePath().normalize();
        Path directory = dataDirectory.map(path -> path.toAbsolutePath().normalize())
                .orElse(definitionFile.getParent());
        ClusterDefinition definition = verifiedDefinition(definitionFile, directory);
        if (definition.replica(replicaId).isEmpty()) {
            throw new CliException("replica " + replicaId + " is not in cluster " + definition.name() + " ("
                    + definitionFile + "), whose replicas are 0.." + (definition.size() - 1), ExitCodes.USAGE);
        }
        Ed25519KeyPair keyPair = replicaKeyPair(directory);
        RunningNode running;
        try {
            running = NodeLauncher.start(new NodeLaunch(definition, replicaId, keyPair, KeyValueStore::new,
                    persistence(directory).withFallback(ConfigFactory.defaultApplication()), listenHost));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new CliException(e.getMessage());
        }
        var stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            if (!running.stop(STOP_DEADLINE)) {
                log.atWarn().addKeyValue("replica", replicaId).log("the node did not stop within {} s",
                        STOP_DEADLINE.toSeconds());
            }
        }, "concordat-node-shutdown"));
        parentPid.flatMap(ProcessHandle::of).ifPresent(parent -> parent.onExit().thenRun(() -> {
            log.atWarn().addKeyValue("replica", replicaId)
                    .log("the process that started this node (pid {}) ended; stopping", parent.pid());
            System.exit(0);
        }));
        ReplicaDefinition replica = definition.replica(replicaId).orElseThrow();
        log.atInfo().addKeyValue("replica", replicaId).log("replica {} running: client endpoint {}, admin endpoint"
                + " http://{}:{}, Artery {}:{}", replicaId, running.clientEndpoint().uri(),
                listenHost.orElse(replica.host()), replica.adminPort(), replica.host(), replica.arteryPort());
        running.whenTerminated().toCompletableFuture().join();
        if (stopping.get()) {
            return ExitCodes.OK;
        }
        log.atError().addKeyValue("replica", replicaId).log("the node's actor system terminated on its own; exiting");
        return ExitCodes.FAILURE;
    }

    private ClusterDefinition verifiedDefinition(Path definitionFile, Path directory) {
        if (!Files.isRegularFile(definitionFile)) {
            throw new CliException("no cluster definition file " + definitionFile);
        }
        Path administratorKeyFile = administratorKeyFile(definitionFile, directory);
        PublicKey trusted;
        try {
            trusted = KeyStoreDirectory.readPublicKeyFile(administratorKeyFile);
        } catch (KeyFileException e) {
            throw new CliException(e.getMessage());
        }
        try {
            return SignedClusterDefinitionFiles.readVerified(definitionFile, List.of(trusted), new Ed25519Verifier());
        } catch (ClusterDefinitionException e) {
            throw new CliException("refusing to start from " + definitionFile + " (administrator key "
                    + administratorKeyFile + "): " + e.getMessage());
        }
    }

    private Path administratorKeyFile(Path definitionFile, Path directory) {
        if (administratorKey.isPresent()) {
            return administratorKey.get();
        }
        String fileName = KeyName.administrator().fileStem() + KeyStoreDirectory.PUBLIC_SUFFIX;
        List<Path> candidates = new ArrayList<>();
        candidates.add(directory.resolve(LocalClusterTemplate.KEYS_DIRECTORY).resolve(fileName));
        candidates.add(definitionFile.getParent().resolve(fileName));
        candidates.add(definitionFile.getParent().resolve(LocalClusterTemplate.KEYS_DIRECTORY).resolve(fileName));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new CliException("no administrator public key to verify " + definitionFile + " with; looked for "
                + candidates.stream().distinct().map(Path::toString).toList() + ". Give it with --admin-key FILE");
    }

    private Ed25519KeyPair replicaKeyPair(Path directory) {
        Path keyFile = replicaKey.orElseGet(() -> new KeyStoreDirectory(directory.resolve(
                LocalClusterTemplate.KEYS_DIRECTORY)).privateKeyFile(KeyName.replica(replicaId)));
        try {
            return KeyStoreDirectory.readPrivateKeyFile(keyFile);
        } catch (KeyFileException e) {
            throw new CliException(e.getMessage() + (replicaKey.isPresent() ? "" : " (give the key with --key FILE)"));
        }
    }
}
