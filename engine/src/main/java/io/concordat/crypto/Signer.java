package io.concordat.crypto;

import io.concordat.common.Bytes;

/** Signs with one private key. Implementations are deterministic (Ed25519, RFC 8032) and thread-safe. */
public interface Signer {
    PublicKey publicKey();

    /** The 64-byte signature of {@code message}. */
    Bytes sign(Bytes message);
}
