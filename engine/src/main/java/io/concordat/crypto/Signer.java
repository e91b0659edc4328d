package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.util.Optional;

/** Signs with one private key. Implementations are deterministic (Ed25519, RFC 8032) and thread-safe. */
public interface Signer {
    PublicKey publicKey();

    /** The 64-byte signature of {@code message}. */
    Bytes sign(Bytes message);

    /**
     * The 32-byte secret this key holder shares with the holder of {@code peer}'s private key, which both
     * compute alone and nobody else can ({@link X25519Agreement} for Ed25519), or empty if {@code peer} is
     * not a usable key. It only ever feeds {@link PairwiseKey#derive}.
     */
    Optional<Bytes> sharedSecret(PublicKey peer);
}
