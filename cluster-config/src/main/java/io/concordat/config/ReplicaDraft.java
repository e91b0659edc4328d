package io.concordat.config;

import io.concordat.crypto.PublicKey;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One replica entry as read, before the rules have accepted it. A field is empty when it was missing or
 * could not be read; its problem is already reported, and the rules skip checks that need it, so one
 * mistake is reported once rather than again as a consequence.
 *
 * @param index the entry's position in the file's replicas list, for error paths
 */
record ReplicaDraft(
        int index,
        OptionalLong id,
        Optional<String> host,
        OptionalLong arteryPort,
        OptionalLong clientPort,
        OptionalLong adminPort,
        Optional<PublicKey> publicKey) {

    static ReplicaDraft unreadable(int index) {
        return new ReplicaDraft(index, OptionalLong.empty(), Optional.empty(), OptionalLong.empty(),
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }

    static ReplicaDraft of(int index, ReplicaDefinition replica) {
        return of(index, replica.host(), replica.arteryPort(), replica.clientPort(), replica.adminPort(),
                replica.publicKey(), replica.id());
    }

    /** A draft of a replica under construction; its error paths use its id as the list index. */
    static ReplicaDraft of(int id, String host, int arteryPort, int clientPort, int adminPort,
            PublicKey publicKey) {
        return of(id, host, arteryPort, clientPort, adminPort, publicKey, id);
    }

    private static ReplicaDraft of(int index, String host, int arteryPort, int clientPort, int adminPort,
            PublicKey publicKey, int id) {
        return new ReplicaDraft(index, OptionalLong.of(id), Optional.of(host), OptionalLong.of(arteryPort),
                OptionalLong.of(clientPort), OptionalLong.of(adminPort), Optional.of(publicKey));
    }

    OptionalLong port(String key) {
        switch (key) {
            case Keys.ARTERY_PORT:
                return arteryPort;
            case Keys.CLIENT_PORT:
                return clientPort;
            case Keys.ADMIN_PORT:
                return adminPort;
            default:
                throw new IllegalArgumentException("not a port key: " + key);
        }
    }

    boolean isComplete() {
        return id.isPresent() && host.isPresent() && arteryPort.isPresent() && clientPort.isPresent()
                && adminPort.isPresent() && publicKey.isPresent();
    }

    ReplicaDefinition toDefinition() {
        return new ReplicaDefinition((int) id.getAsLong(), host.orElseThrow(), (int) arteryPort.getAsLong(),
                (int) clientPort.getAsLong(), (int) adminPort.getAsLong(), publicKey.orElseThrow());
    }
}
