package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.util.Objects;

/** A SHA-256 digest: exactly 32 bytes. */
public record Digest(Bytes value) implements Comparable<Digest> {
    public static final int SIZE_BYTES = 32;

    public Digest {
        Objects.requireNonNull(value, "value");
        if (value.size() != SIZE_BYTES) {
            throw new IllegalArgumentException("a digest is " + SIZE_BYTES + " bytes, got " + value.size());
        }
    }

    public static Digest of(byte[] digestBytes) {
        return new Digest(Bytes.copyOf(digestBytes));
    }

    @Override
    public int compareTo(Digest other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value.toHex().substring(0, 12);
    }
}
