package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.security.SecureRandom;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * An Ed25519 key pair (RFC 8032). The private key is kept as its 32-byte seed, from which the signing
 * scalar and the public key are derived; the same seed always gives the same pair, which is how the
 * simulator derives reproducible keys.
 *
 * <p>The canonical constructor checks that {@code publicKey} is the one the seed derives, so a pair read
 * from a file cannot pair a seed with someone else's public key.
 *
 * @param privateKeySeed the 32-byte RFC 8032 private key; {@link #toString()} never shows it
 * @param publicKey the matching public key
 */
public record Ed25519KeyPair(Bytes privateKeySeed, PublicKey publicKey) {
    public static final int SEED_SIZE_BYTES = 32;

    public Ed25519KeyPair {
        Objects.requireNonNull(privateKeySeed, "privateKeySeed");
        Objects.requireNonNull(publicKey, "publicKey");
        requireSeedSize(privateKeySeed);
        if (!derivePublicKey(privateKeySeed).equals(publicKey)) {
            throw new IllegalArgumentException("the public key does not belong to the private key seed");
        }
    }

    /** A fresh random key pair. */
    public static Ed25519KeyPair generate(SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] seed = new byte[SEED_SIZE_BYTES];
        random.nextBytes(seed);
        return fromSeed(Bytes.wrap(seed));
    }

    /** The key pair that {@code seed32} (exactly 32 bytes) determines. */
    public static Ed25519KeyPair fromSeed(Bytes seed32) {
        Objects.requireNonNull(seed32, "seed32");
        requireSeedSize(seed32);
        return new Ed25519KeyPair(seed32, derivePublicKey(seed32));
    }

    /** A signer for this key pair; see {@link Ed25519Signer}. */
    public Signer signer() {
        return new Ed25519Signer(this);
    }

    /** Shows the public key only: the private seed must never reach a log. */
    @Override
    public String toString() {
        return "Ed25519KeyPair[publicKey=" + publicKey.encoded().toHex() + ", privateKeySeed=<redacted>]";
    }

    private static void requireSeedSize(Bytes seed) {
        if (seed.size() != SEED_SIZE_BYTES) {
            throw new IllegalArgumentException(
                    "an Ed25519 private key seed is " + SEED_SIZE_BYTES + " bytes, got " + seed.size());
        }
    }

    private static PublicKey derivePublicKey(Bytes seed) {
        var privateKey = new Ed25519PrivateKeyParameters(seed.unsafeArray(), 0);
        return new PublicKey(Bytes.wrap(privateKey.generatePublicKey().getEncoded()));
    }
}
