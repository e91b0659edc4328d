package io.concordat.protocol.message;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import java.util.Objects;

/**
 * A message body with the exact bytes that were signed and the signature over them. The signature is
 * always checked against {@link #encoded()}, the bytes as they arrived, never against a re-encoding, so
 * the check does not depend on the encoder being canonical.
 *
 * @param body the decoded message; the wire decoder guarantees that it is what {@code encoded} holds
 * @param encoded the signed bytes (the wire encoding of {@code body})
 * @param signature the Ed25519 signature over {@code encoded}
 */
public record Signed<T extends Signable>(T body, Bytes encoded, Bytes signature) {
    public Signed {
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(encoded, "encoded");
        Objects.requireNonNull(signature, "signature");
    }

    /** The digest that identifies this message: SHA-256 of the signed bytes. */
    public Digest digest() {
        return Sha256.of(encoded);
    }
}
