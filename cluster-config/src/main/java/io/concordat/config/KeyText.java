package io.concordat.config;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.KeyEncoding;
import io.concordat.crypto.PublicKey;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The text forms of keys, digests and signatures in this module's files: a type prefix, a colon and
 * lowercase hex, for example {@code ed25519-public:3d4017c3...}. Keys use the crypto package's
 * {@link KeyEncoding}; this adds the signature and digest forms and friendlier messages for the mistakes
 * operators make when pasting keys into a definition.
 */
final class KeyText {
    static final String PUBLIC_PREFIX = KeyEncoding.PUBLIC_PREFIX;
    static final String PRIVATE_PREFIX = KeyEncoding.PRIVATE_PREFIX;
    static final String SIGNATURE_PREFIX = "ed25519-signature:";
    static final String DIGEST_PREFIX = "sha256:";
    static final String PLACEHOLDER = "PLACEHOLDER";

    static final int SIGNATURE_BYTES = 64;

    private KeyText() {}

    static String publicKey(PublicKey key) {
        return KeyEncoding.encodePublicKey(key);
    }

    static String privateKey(Ed25519KeyPair keyPair) {
        return KeyEncoding.encodePrivateKey(keyPair);
    }

    static String signature(Bytes signature) {
        return SIGNATURE_PREFIX + signature.toHex();
    }

    /** Decodes {@code ed25519-public:<64 hex digits>}; the exception's message says what is wrong. */
    static PublicKey parsePublicKey(String text) {
        if (text.toUpperCase(Locale.ROOT).contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("\"" + text + "\" is still a placeholder: generate the key pair"
                    + " (concordat keygen) and paste the contents of its .pub file here");
        }
        if (text.strip().startsWith(PRIVATE_PREFIX)) {
            throw new IllegalArgumentException("this is a PRIVATE key; a definition holds only public keys"
                    + " (" + PUBLIC_PREFIX + "...). Treat this private key as leaked and generate a new one");
        }
        return KeyEncoding.parsePublicKey(text);
    }

    /** The key pair a private key file holds; the message of the exception never repeats key material. */
    static Ed25519KeyPair parsePrivateKey(String text) {
        return KeyEncoding.parsePrivateKey(text);
    }

    static Bytes parseSignature(String text) {
        return parseHex(text, SIGNATURE_PREFIX, SIGNATURE_BYTES, "an Ed25519 signature");
    }

    static Bytes parseDigest(String text) {
        return parseHex(text, DIGEST_PREFIX, Digest.SIZE_BYTES, "a SHA-256 digest");
    }

    static Bytes parseHex(String text, String prefix, int sizeBytes, String what) {
        String expected = "expected " + what + " written as " + prefix + "<" + 2 * sizeBytes + " hex digits>";
        if (!text.startsWith(prefix)) {
            throw new IllegalArgumentException("not " + what + ": " + expected);
        }
        String hex = text.substring(prefix.length());
        if (hex.length() != 2 * sizeBytes) {
            throw new IllegalArgumentException("not " + what + ": " + hex.length() + " hex digits after \""
                    + prefix + "\"; " + expected);
        }
        for (int index = 0; index < hex.length(); index++) {
            if (!HexFormat.isHexDigit(hex.charAt(index))) {
                throw new IllegalArgumentException("not " + what + ": '" + hex.charAt(index) + "' at position "
                        + (prefix.length() + index) + " is not a hex digit; " + expected);
            }
        }
        return Bytes.wrap(HexFormat.of().parseHex(hex));
    }
}
