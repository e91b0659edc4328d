package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.util.Objects;

/** An Ed25519 public key in its 32-byte RFC 8032 encoding. */
public record PublicKey(Bytes encoded) implements Comparable<PublicKey> {
    public static final int SIZE_BYTES = 32;

    public PublicKey {
        Objects.requireNonNull(encoded, "encoded");
        if (encoded.size() != SIZE_BYTES) {
            throw new IllegalArgumentException(
                    "an Ed25519 public key is " + SIZE_BYTES + " bytes, got " + encoded.size());
        }
    }

    @Override
    public int compareTo(PublicKey other) {
        return encoded.compareTo(other.encoded);
    }

    @Override
    public String toString() {
        return encoded.toHex().substring(0, 12);
    }
}
