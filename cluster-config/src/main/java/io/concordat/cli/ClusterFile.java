package io.concordat.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.concordat.config.ClusterDefinition;
import io.concordat.config.ReplicaDefinition;
import io.concordat.crypto.KeyEncoding;
import io.concordat.crypto.PublicKey;
import io.concordat.launcher.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code cluster.json}: what the client-side commands ({@code client}, {@code status}, {@code bench}) need to
 * reach a cluster, written by {@code concordat up} (docs/operations.md describes the format). It is derived
 * from the signed cluster definition and carries the replicas' public keys, which the client trusts: keep it
 * where only its users can change it.
 *
 * @param name the cluster's name
 * @param faultsTolerated f
 * @param replicas every replica, in id order 0..n-1
 * @param clientKey the private key file the {@code client} command signs with, as written in the file
 *     (relative paths are relative to the directory of {@code cluster.json})
 */
public record ClusterFile(String name, int faultsTolerated, List<Replica> replicas, String clientKey) {
    public static final String FORMAT = "concordat-cluster-json v1";
    public static final String FILE_NAME = "cluster.json";
    /** Larger than any real cluster.json; bigger files are refused without being parsed. */
    static final long FILE_BYTES_MAX = 1 << 20;

    /** One replica: where its endpoints are and the key that signs its replies. */
    public record Replica(int id, String host, int arteryPort, int clientPort, int adminPort, PublicKey publicKey) {
        public Replica {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(publicKey, "publicKey");
        }

        public URI clientEndpoint() {
            return URI.create("http://" + hostForUri() + ":" + clientPort);
        }

        public URI adminEndpoint() {
            return URI.create("http://" + hostForUri() + ":" + adminPort);
        }

        private String hostForUri() {
            return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        }
    }

    public ClusterFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(clientKey, "clientKey");
        replicas = List.copyOf(replicas);
        if (faultsTolerated < 1) {
            throw new IllegalArgumentException("faultsTolerated must be at least 1, got " + faultsTolerated);
        }
        if (replicas.size() != 3 * faultsTolerated + 1) {
            throw new IllegalArgumentException("f = " + faultsTolerated + " needs 3f+1 = " + (3 * faultsTolerated + 1)
                    + " replicas, but " + replicas.size() + " are listed");
        }
        for (int index = 0; index < replicas.size(); index++) {
            if (replicas.get(index).id() != index) {
                throw new IllegalArgumentException("replicas must be listed in id order 0.." + (replicas.size() - 1)
                        + "; entry " + index + " has id " + replicas.get(index).id());
            }
        }
    }

    /** The client-side description of a verified definition, signing with {@code clientKey}. */
    public static ClusterFile of(ClusterDefinition definition, String clientKey) {
        List<Replica> replicas = new ArrayList<>();
        for (ReplicaDefinition replica : definition.replicas()) {
            replicas.add(new Replica(replica.id(), replica.host(), replica.arteryPort(), replica.clientPort(),
                    replica.adminPort(), replica.publicKey()));
        }
        return new ClusterFile(definition.name(), definition.faultsTolerated(), replicas, clientKey);
    }

    /** The client key file, resolved against the directory {@code cluster.json} is in. */
    public Path clientKeyFile(Path clusterFile) {
        Path directory = clusterFile.toAbsolutePath().getParent();
        return directory.resolve(clientKey).normalize();
    }

    public String toJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("name", name);
        root.put("faultsTolerated", faultsTolerated);
        root.put("clientKey", clientKey);
        List<Object> replicaList = new ArrayList<>();
        for (Replica replica : replicas) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("id", replica.id());
            entry.put("host", replica.host());
            entry.put("arteryPort", replica.arteryPort());
            entry.put("clientPort", replica.clientPort());
            entry.put("adminPort", replica.adminPort());
            entry.put("clientEndpoint", replica.clientEndpoint().toString());
            entry.put("adminEndpoint", replica.adminEndpoint().toString());
            entry.put("publicKey", KeyEncoding.encodePublicKey(replica.publicKey()));
            replicaList.add(entry);
        }
        root.put("replicas", replicaList);
        return Json.pretty(root);
    }

    /** Writes the file atomically (a temporary file, then a rename). */
    public void write(Path file) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), ".cluster", ".json.tmp");
            try {
                Files.writeString(temporary, toJson(), StandardCharsets.UTF_8);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** @throws CliException naming the file and what is wrong with it */
    public static ClusterFile read(Path file) {
        String text;
        try {
            if (Files.size(file) > FILE_BYTES_MAX) {
                throw new CliException(file + " is larger than " + FILE_BYTES_MAX + " bytes; it is not a cluster.json");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("no cluster file " + file + " (concordat up writes DATA_DIR/cluster.json)");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    static ClusterFile parse(String text, String origin) {
        try {
            Config root = ConfigFactory.parseString(text, ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.JSON).setOriginDescription(origin));
            String format = root.getString("format");
            if (!FORMAT.equals(format)) {
                throw new CliException(origin + ": unsupported format \"" + format + "\"; expected \"" + FORMAT + "\"");
            }
            List<Replica> replicas = new ArrayList<>();
            List<? extends Config> entries = root.getConfigList("replicas");
            for (int index = 0; index < entries.size(); index++) {
                replicas.add(replica(entries.get(index), origin + ": replicas[" + index + "]"));
            }
            return new ClusterFile(root.getString("name"), root.getInt("faultsTolerated"), replicas,
                    root.getString("clientKey"));
        } catch (ConfigException e) {
            throw new CliException(origin + " is not a valid cluster.json: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(origin + " is not a valid cluster.json: " + e.getMessage());
        }
    }

    private static Replica replica(Config entry, String where) {
        PublicKey publicKey;
        try {
            publicKey = KeyEncoding.parsePublicKey(entry.getString("publicKey"));
        } catch (IllegalArgumentException e) {
            throw new CliException(where + ".publicKey: " + e.getMessage());
        }
        try {
            return new Replica(entry.getInt("id"), entry.getString("host"), port(entry, "arteryPort", where),
                    port(entry, "clientPort", where), port(entry, "adminPort", where), publicKey);
        } catch (IllegalArgumentException e) {
            throw new CliException(where + ": " + e.getMessage());
        }
    }

    private static int port(Config entry, String key, String where) {
        int port = entry.getInt(key);
        if (port < 1 || port > 65_535) {
            throw new CliException(where + "." + key + ": port " + port + " is out of range 1..65535");
        }
        return port;
    }
}
