package io.concordat.app;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import java.util.Objects;

/**
 * One client operation handed to the application, with who asked for it.
 *
 * @param clientId the client's public key, which the protocol has authenticated
 * @param requestNumber the client's request number
 * @param payload the operation bytes, opaque to the protocol
 */
public record Operation(PublicKey clientId, long requestNumber, Bytes payload) {
    public Operation {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(payload, "payload");
    }
}
