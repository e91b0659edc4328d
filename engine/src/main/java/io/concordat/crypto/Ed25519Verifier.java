package io.concordat.crypto;

import io.concordat.common.Bytes;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Pure Ed25519 (RFC 8032) verification with Bouncy Castle. Stateless, so one instance can be shared by
 * every thread. Bouncy Castle rejects a signature whose scalar S is not below the group order, so a valid
 * signature cannot be turned into a second valid encoding of itself (RFC 8032 §5.1.7).
 */
public final class Ed25519Verifier implements SignatureVerifier {

    public Ed25519Verifier() {}

    @Override
    public boolean verify(PublicKey key, Bytes message, Bytes signature) {
        if (key == null || message == null || signature == null) {
            return false;
        }
        if (signature.size() != Ed25519.SIGNATURE_SIZE || key.encoded().size() != Ed25519.PUBLIC_KEY_SIZE) {
            return false;
        }
        byte[] content = message.unsafeArray();
        try {
            return Ed25519.verify(signature.unsafeArray(), 0, key.encoded().unsafeArray(), 0, content, 0, content.length);
        } catch (RuntimeException malformed) {
            // The contract is "never throws on bad input"; Bouncy Castle returns false for every malformed
            // key or signature we know of, and this keeps that true for any it does not.
            return false;
        }
    }
}
