package io.concordat.config;

import java.util.Objects;

/**
 * One mistake in a cluster definition, located by the HOCON key path it concerns, for example
 * {@code concordat.cluster.replicas[2].client-port}.
 */
public record Problem(String path, String message) {
    public Problem {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return path + ": " + message;
    }
}
