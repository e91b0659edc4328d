package io.concordat.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which key pair in a {@link KeyStoreDirectory}: a replica's, the administrator's or a named client's. The
 * name is the files' stem: {@code replica-0.key} / {@code replica-0.pub}, {@code administrator.key},
 * {@code client-alice.key}.
 */
public record KeyName(String fileStem) {
    private static final Pattern CLIENT_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    private static final Pattern STEM = Pattern.compile("administrator|replica-(0|[1-9][0-9]{0,8})|client-"
            + CLIENT_NAME.pattern());

    public KeyName {
        Objects.requireNonNull(fileStem, "fileStem");
        if (!STEM.matcher(fileStem).matches()) {
            throw new IllegalArgumentException("\"" + fileStem + "\" is not a key name: expected administrator,"
                    + " replica-<id> or client-<name>");
        }
    }

    public static KeyName administrator() {
        return new KeyName("administrator");
    }

    public static KeyName replica(int replicaId) {
        if (replicaId < 0) {
            throw new IllegalArgumentException("a replica id is >= 0, got " + replicaId);
        }
        return new KeyName("replica-" + replicaId);
    }

    /** A client's key; {@code name} is 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit. */
    public static KeyName client(String name) {
        Objects.requireNonNull(name, "name");
        if (!CLIENT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("\"" + name + "\" is not a client name: use 1 to 64 lowercase"
                    + " letters, digits, '-' or '_', starting with a letter or digit");
        }
        return new KeyName("client-" + name);
    }

    @Override
    public String toString() {
        return fileStem;
    }
}
