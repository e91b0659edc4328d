package io.concordat.membership;

import java.util.Objects;
import org.apache.pekko.actor.Address;

/**
 * Where one replica's node listens for other replicas (its Pekko Artery canonical host and port). It comes
 * from the cluster definition, next to the replica's public key.
 */
public record ReplicaAddress(String host, int port) {
    public ReplicaAddress {
        Objects.requireNonNull(host, "host");
        if (host.isBlank()) {
            throw new IllegalArgumentException("a replica's host must not be blank");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("a replica's port must lie in 1..65535, got " + port);
        }
    }

    /** The Pekko address of the node, for example {@code pekko://concordat@127.0.0.1:25520}. */
    public Address toPekkoAddress(String actorSystemName) {
        return new Address("pekko", actorSystemName, host, port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
