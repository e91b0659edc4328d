package io.concordat.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import io.concordat.crypto.PublicKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a cluster definition from HOCON (the format is described in this module's README.md). Every
 * mistake is reported at once, each naming its key path, in a {@link ClusterDefinitionException}: reading
 * problems (missing keys, wrong types, unknown keys, bad key encodings) first, then broken rules (n = 3f+1,
 * duplicates, the watermark window). Protocol keys left out take their defaults from {@code reference.conf}.
 *
 * <p>Substitutions are resolved within the file only, never from environment variables or system
 * properties: what a node runs must be exactly what the administrator signed.
 */
public final class ClusterDefinitionLoader {
    private static final ConfigResolveOptions RESOLVE = ConfigResolveOptions.noSystem();

    /** Read once, on first use. */
    private static final class ProtocolDefaults {
        static final ConfigObject VALUE = readProtocolDefaults();
    }

    private ClusterDefinitionLoader() {}

    /** Reads and validates the definition in {@code file}; includes resolve relative to the file. */
    public static ClusterDefinition load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ClusterDefinitionException(new Problem(file.toString(),
                    Files.exists(file) ? "not a regular file" : "no such file"));
        }
        ConfigParseOptions options = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                .setAllowMissing(false).setOriginDescription(file.toString());
        return fromParser(() -> ConfigFactory.parseFile(file.toFile(), options));
    }

    /** Reads and validates a definition from HOCON text. */
    public static ClusterDefinition parse(String text) {
        ConfigParseOptions options = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                .setOriginDescription("cluster definition");
        return fromParser(() -> ConfigFactory.parseString(text, options));
    }

    static ProtocolSettings defaultProtocolSettings() {
        ConfigReader reader = new ConfigReader();
        ProtocolDraft draft = readProtocol(reader, ProtocolDefaults.VALUE);
        List<Problem> problems = new ArrayList<>(reader.problems());
        problems.addAll(DefinitionRules.checkProtocol(draft));
        if (!problems.isEmpty()) {
            throw new IllegalStateException("this module's reference.conf is broken: " + problems);
        }
        return draft.toSettings();
    }

    private static ClusterDefinition fromParser(Supplier<Config> parser) {
        Config config;
        try {
            config = parser.get().resolve(RESOLVE);
        } catch (ConfigException e) {
            throw new ClusterDefinitionException(syntaxProblem(e));
        }
        ConfigReader reader = new ConfigReader();
        Optional<DefinitionDraft> draft = readDefinition(reader, config.root());
        List<Problem> problems = new ArrayList<>(reader.problems());
        draft.ifPresent(value -> problems.addAll(DefinitionRules.check(value)));
        if (!problems.isEmpty()) {
            throw new ClusterDefinitionException(problems);
        }
        return build(draft.orElseThrow());
    }

    private static Problem syntaxProblem(ConfigException e) {
        String message = e.getMessage();
        if (e.origin() != null) {
            String where = e.origin().description();
            if (message.startsWith(where + ": ")) {
                message = message.substring(where.length() + 2);
            }
            return new Problem(where, message);
        }
        return new Problem("(file)", message);
    }

    private static Optional<DefinitionDraft> readDefinition(ConfigReader reader, ConfigObject root) {
        reader.rejectUnknownKeys(root, "", List.of(Keys.ROOT));
        Optional<ConfigObject> concordat = reader.object(root, "", Keys.ROOT, true);
        concordat.ifPresent(value -> reader.rejectUnknownKeys(value, Keys.ROOT, List.of(Keys.CLUSTER)));
        Optional<ConfigObject> cluster = concordat.flatMap(value -> reader.object(value, Keys.ROOT, Keys.CLUSTER, true));
        if (cluster.isEmpty()) {
            return Optional.empty();
        }
        ConfigObject definition = cluster.get();
        String path = Keys.CLUSTER_PATH;
        reader.rejectUnknownKeys(definition, path, Keys.CLUSTER_KEYS);
        Optional<String> name = reader.string(definition, path, Keys.NAME, true);
        OptionalLong faultsTolerated = reader.wholeNumber(definition, path, Keys.FAULTS_TOLERATED, true);
        Optional<List<ReplicaDraft>> replicas = reader.list(definition, path, Keys.REPLICAS, true)
                .map(values -> readReplicas(reader, values));
        ConfigObject protocol = reader.object(definition, path, Keys.PROTOCOL, false)
                .map(value -> {
                    reader.rejectUnknownKeys(value, Keys.cluster(Keys.PROTOCOL), Keys.PROTOCOL_KEYS);
                    return value.withFallback(ProtocolDefaults.VALUE);
                })
                .orElse(ProtocolDefaults.VALUE);
        List<Optional<PublicKey>> clientKeys = new ArrayList<>();
        reader.list(definition, path, Keys.ALLOWED_CLIENT_KEYS, false).ifPresent(values -> {
            for (int index = 0; index < values.size(); index++) {
                clientKeys.add(reader.publicKey(values.get(index), Keys.allowedClientKey(index)));
            }
        });
        return Optional.of(new DefinitionDraft(name, faultsTolerated, replicas, readProtocol(reader, protocol),
                clientKeys));
    }

    private static List<ReplicaDraft> readReplicas(ConfigReader reader, List<ConfigValue> values) {
        List<ReplicaDraft> replicas = new ArrayList<>();
        for (int index = 0; index < values.size(); index++) {
            String path = Keys.replica(index);
            Optional<ConfigObject> entry = reader.object(values.get(index), path);
            if (entry.isEmpty()) {
                replicas.add(ReplicaDraft.unreadable(index));
                continue;
            }
            ConfigObject replica = entry.get();
            reader.rejectUnknownKeys(replica, path, Keys.REPLICA_KEYS);
            replicas.add(new ReplicaDraft(index,
                    reader.wholeNumber(replica, path, Keys.ID, true),
                    reader.string(replica, path, Keys.HOST, true),
                    reader.wholeNumber(replica, path, Keys.ARTERY_PORT, true),
                    reader.wholeNumber(replica, path, Keys.CLIENT_PORT, true),
                    reader.wholeNumber(replica, path, Keys.ADMIN_PORT, true),
                    reader.publicKey(replica, path, Keys.PUBLIC_KEY, true)));
        }
        return replicas;
    }

    private static ProtocolDraft readProtocol(ConfigReader reader, ConfigObject protocol) {
        String path = Keys.cluster(Keys.PROTOCOL);
        return new ProtocolDraft(
                reader.wholeNumber(protocol, path, Keys.CHECKPOINT_INTERVAL, true),
                reader.wholeNumber(protocol, path, Keys.WATERMARK_WINDOW, true),
                reader.wholeNumber(protocol, path, Keys.BATCH_MAX_REQUESTS, true),
                reader.bytes(protocol, path, Keys.BATCH_MAX_BYTES, true),
                reader.duration(protocol, path, Keys.BATCH_DELAY, true),
                reader.bytes(protocol, path, Keys.REQUEST_MAX_BYTES, true),
                reader.wholeNumber(protocol, path, Keys.PENDING_REQUESTS_MAX, true),
                reader.duration(protocol, path, Keys.TICK_INTERVAL, true),
                reader.duration(protocol, path, Keys.VIEW_CHANGE_TIMEOUT, true),
                reader.duration(protocol, path, Keys.STATUS_INTERVAL, true));
    }

    /** Only called when reading and the rules found no problem, so every field is present and in range. */
    private static ClusterDefinition build(DefinitionDraft draft) {
        List<ReplicaDefinition> replicas = new ArrayList<>();
        for (ReplicaDraft replica : draft.replicas().orElseThrow()) {
            replicas.add(replica.toDefinition());
        }
        Set<PublicKey> clientKeys = new LinkedHashSet<>();
        for (Optional<PublicKey> key : draft.allowedClientKeys()) {
            clientKeys.add(key.orElseThrow());
        }
        return new ClusterDefinition(draft.name().orElseThrow(), (int) draft.faultsTolerated().getAsLong(),
                replicas, draft.protocol().toSettings(), clientKeys);
    }

    /**
     * The protocol block of every {@code reference.conf} on the class path (this module ships one), parsed
     * without the rest of the application's configuration so that no other setting can leak in.
     */
    private static ConfigObject readProtocolDefaults() {
        Config reference = ConfigFactory.parseResourcesAnySyntax(ClusterDefinitionLoader.class.getClassLoader(),
                "reference");
        String path = Keys.cluster(Keys.PROTOCOL);
        Config protocol = reference.withOnlyPath(path).resolve(RESOLVE);
        return protocol.hasPath(path) ? protocol.getObject(path) : ConfigFactory.empty().root();
    }
}
