package io.concordat.crypto;

import io.concordat.common.Bytes;

/** Checks signatures. Implementations are stateless and thread-safe. */
public interface SignatureVerifier {
    /** True only if {@code signature} is a valid signature of {@code message} under {@code key}. Never throws on bad input. */
    boolean verify(PublicKey key, Bytes message, Bytes signature);
}
