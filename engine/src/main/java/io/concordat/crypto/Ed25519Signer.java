package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Pure Ed25519 (RFC 8032, no context, no pre-hash) signing with Bouncy Castle, which measured more than
 * ten times faster than the JDK's provider on Java 17 (see STACK.md and the bench module).
 *
 * <p>Thread-safe: Bouncy Castle's {@code Ed25519Signer} object buffers the message and so cannot be
 * shared, so this calls the stateless RFC 8032 routine directly; it keeps all its state on the stack.
 * Passing the public key avoids deriving it again for every signature.
 */
public final class Ed25519Signer implements Signer {
    public static final int SIGNATURE_SIZE_BYTES = Ed25519.SIGNATURE_SIZE;

    private final byte[] privateKeySeed;
    private final byte[] publicKeyEncoded;
    private final PublicKey publicKey;

    public Ed25519Signer(Ed25519KeyPair keyPair) {
        Objects.requireNonNull(keyPair, "keyPair");
        this.privateKeySeed = keyPair.privateKeySeed().toByteArray();
        this.publicKeyEncoded = keyPair.publicKey().encoded().toByteArray();
        this.publicKey = keyPair.publicKey();
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public Bytes sign(Bytes message) {
        Objects.requireNonNull(message, "message");
        byte[] content = message.unsafeArray();
        byte[] signature = new byte[SIGNATURE_SIZE_BYTES];
        Ed25519.sign(privateKeySeed, 0, publicKeyEncoded, 0, content, 0, content.length, signature, 0);
        return Bytes.wrap(signature);
    }

    @Override
    public Optional<Bytes> sharedSecret(PublicKey peer) {
        Objects.requireNonNull(peer, "peer");
        return X25519Agreement.sharedSecret(Bytes.wrap(privateKeySeed), peer);
    }

    @Override
    public String toString() {
        return "Ed25519Signer[publicKey=" + publicKey.encoded().toHex() + "]";
    }
}
