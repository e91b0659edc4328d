package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The text form of keys in configuration and key files: {@code ed25519-public:<64 hex digits>} and
 * {@code ed25519-private:<64 hex digits>} (the private form holds the 32-byte seed). The prefix names the
 * algorithm so that a key of another kind, or a private key pasted where a public one belongs, fails with
 * a message that says so. Parsing ignores surrounding whitespace, such as a file's final newline.
 */
public final class KeyEncoding {
    public static final String PUBLIC_PREFIX = "ed25519-public:";
    public static final String PRIVATE_PREFIX = "ed25519-private:";

    private KeyEncoding() {}

    public static String encodePublicKey(PublicKey key) {
        Objects.requireNonNull(key, "key");
        return PUBLIC_PREFIX + key.encoded().toHex();
    }

    /** The text form of the key pair's private seed. Treat the result as a secret. */
    public static String encodePrivateKey(Ed25519KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        return PRIVATE_PREFIX + keyPair.privateKeySeed().toHex();
    }

    /** @throws IllegalArgumentException naming what is wrong: the prefix, the hex digits or the length */
    public static PublicKey parsePublicKey(String text) {
        return new PublicKey(parse(text, PUBLIC_PREFIX, PRIVATE_PREFIX, "public key", PublicKey.SIZE_BYTES));
    }

    /**
     * The key pair whose private seed {@code text} holds; the public key is derived from it.
     *
     * @throws IllegalArgumentException naming what is wrong: the prefix, the hex digits or the length.
     *     The message never repeats the key material.
     */
    public static Ed25519KeyPair parsePrivateKey(String text) {
        return Ed25519KeyPair.fromSeed(
                parse(text, PRIVATE_PREFIX, PUBLIC_PREFIX, "private key", Ed25519KeyPair.SEED_SIZE_BYTES));
    }

    private static Bytes parse(String text, String prefix, String otherPrefix, String what, int sizeBytes) {
        Objects.requireNonNull(text, "text");
        String trimmed = text.strip();
        if (!trimmed.startsWith(prefix)) {
            if (trimmed.startsWith(otherPrefix)) {
                throw new IllegalArgumentException("expected an Ed25519 " + what + " starting with '" + prefix
                        + "' but found '" + otherPrefix + "'");
            }
            throw new IllegalArgumentException("an Ed25519 " + what + " must start with '" + prefix + "'");
        }
        String hex = trimmed.substring(prefix.length());
        if (hex.length() != 2 * sizeBytes) {
            throw new IllegalArgumentException("an Ed25519 " + what + " is " + sizeBytes + " bytes ("
                    + 2 * sizeBytes + " hex digits) after '" + prefix + "', got " + hex.length() + " characters");
        }
        for (int index = 0; index < hex.length(); index++) {
            if (!HexFormat.isHexDigit(hex.charAt(index))) {
                throw new IllegalArgumentException("an Ed25519 " + what + " must be hex digits after '" + prefix
                        + "'; character " + (index + 1) + " is not a hex digit");
            }
        }
        return Bytes.wrap(HexFormat.of().parseHex(hex));
    }
}
