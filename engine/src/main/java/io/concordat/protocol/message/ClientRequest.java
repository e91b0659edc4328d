package io.concordat.protocol.message;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import java.util.Objects;

/**
 * A client's request, ⟨REQUEST, o, t, c⟩ in PBFT §4.1. The client id is the client's Ed25519 public key,
 * so a request proves who sent it without a client registry.
 *
 * @param clientId the client's public key; the request is signed with the matching private key
 * @param requestNumber PBFT's timestamp t: strictly increasing per client, used for exactly-once
 * @param operation the application's operation, opaque to the protocol
 * @param readOnly whether the client asks for the read-only optimisation (PBFT §5.1.3)
 */
public record ClientRequest(PublicKey clientId, long requestNumber, Bytes operation, boolean readOnly)
        implements Signable {
    public ClientRequest {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(operation, "operation");
        if (requestNumber < 1) {
            throw new IllegalArgumentException("request numbers start at 1, got " + requestNumber);
        }
    }
}
