package io.concordat.config;

import io.concordat.crypto.Digest;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Sha256;
import java.util.Objects;

/**
 * Names a public key without carrying it: the SHA-256 of the key's 32-byte RFC 8032 encoding, written
 * {@code sha256:<64 hex digits>}. A signature file names the administrator key by fingerprint; the key
 * itself must come from the node's own trusted set, never from the file being verified.
 */
public record KeyFingerprint(Digest digest) {
    public KeyFingerprint {
        Objects.requireNonNull(digest, "digest");
    }

    public static KeyFingerprint of(PublicKey key) {
        return new KeyFingerprint(Sha256.of(key.encoded()));
    }

    /** Parses {@code sha256:<64 hex digits>}; the exception's message says what is wrong. */
    public static KeyFingerprint parse(String text) {
        return new KeyFingerprint(new Digest(KeyText.parseDigest(text)));
    }

    public boolean matches(PublicKey key) {
        return equals(of(key));
    }

    @Override
    public String toString() {
        return KeyText.DIGEST_PREFIX + digest.value().toHex();
    }
}
