package io.concordat.protocol;

import io.concordat.crypto.PublicKey;
import java.util.Objects;

/** Where an outbound envelope goes. */
public sealed interface Destination {

    /** Every replica except the sender. */
    record AllReplicas() implements Destination {}

    record Replica(int replicaId) implements Destination {}

    /** A client, named by its public key; the shell knows how to reach it. */
    record Client(PublicKey clientId) implements Destination {
        public Client {
            Objects.requireNonNull(clientId, "clientId");
        }
    }
}
