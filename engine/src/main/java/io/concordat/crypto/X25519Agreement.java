package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * A static Diffie-Hellman secret between two Ed25519 key holders, with no message exchanged: each side's
 * Ed25519 key is read as the birationally equivalent X25519 key (RFC 7748 §4.1), so the secret of A and B is
 * X25519(a, B) = X25519(b, A). This is how a client and a replica get a key that no one else knows from
 * the keys they already have (the client id and the cluster definition), and so how replies and request
 * authenticators are MACs instead of signatures (docs/security.md, "Pairwise keys").
 *
 * <p>The private X25519 scalar is the Ed25519 signing scalar: the first half of SHA-512 of the seed,
 * clamped (RFC 8032 §5.1.5; {@link X25519} clamps). The public u-coordinate is (1 + y) / (1 - y) mod p for
 * the Edwards y-coordinate of the public key. Reusing one key for signing and for Diffie-Hellman this way
 * is what libsodium's {@code crypto_sign_ed25519_pk_to_curve25519} offers and what XEdDSA does in the other
 * direction; the secret only ever enters HKDF ({@link PairwiseKey}), never a signature.
 */
public final class X25519Agreement {
    private static final BigInteger FIELD_PRIME = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));

    private X25519Agreement() {}

    /**
     * The 32-byte secret of the holder of {@code ownSeed} and the holder of {@code peer}'s private key, or
     * empty if {@code peer} is not a usable key: a y-coordinate outside the field, the point y = 1 (the
     * neutral element, which has no Montgomery form), or a point of small order, which makes every secret
     * zero (RFC 7748 §6.1).
     */
    public static Optional<Bytes> sharedSecret(Bytes ownSeed, PublicKey peer) {
        Optional<byte[]> peerMontgomery = montgomeryU(peer);
        if (peerMontgomery.isEmpty()) {
            return Optional.empty();
        }
        byte[] scalar = Arrays.copyOf(sha512(ownSeed.unsafeArray()), X25519.SCALAR_SIZE);
        byte[] secret = new byte[X25519.POINT_SIZE];
        boolean nonZero = X25519.calculateAgreement(scalar, 0, peerMontgomery.get(), 0, secret, 0);
        Arrays.fill(scalar, (byte) 0);
        return nonZero ? Optional.of(Bytes.wrap(secret)) : Optional.empty();
    }

    /** The little-endian u-coordinate of the X25519 key that the Ed25519 key {@code key} is. */
    static Optional<byte[]> montgomeryU(PublicKey key) {
        byte[] littleEndian = key.encoded().toByteArray();
        littleEndian[31] &= 0x7f; // the top bit is the sign of x, which the u-coordinate does not need
        BigInteger y = new BigInteger(1, reversed(littleEndian));
        if (y.compareTo(FIELD_PRIME) >= 0 || y.equals(BigInteger.ONE)) {
            return Optional.empty();
        }
        BigInteger u = BigInteger.ONE.add(y)
                .multiply(BigInteger.ONE.subtract(y).mod(FIELD_PRIME).modInverse(FIELD_PRIME)).mod(FIELD_PRIME);
        byte[] bigEndian = u.toByteArray();
        byte[] out = new byte[X25519.POINT_SIZE];
        for (int index = 0; index < out.length && index < bigEndian.length; index++) {
            out[index] = bigEndian[bigEndian.length - 1 - index];
        }
        return Optional.of(out);
    }

    private static byte[] reversed(byte[] bytes) {
        byte[] out = new byte[bytes.length];
        for (int index = 0; index < bytes.length; index++) {
            out[index] = bytes[bytes.length - 1 - index];
        }
        return out;
    }

    private static byte[] sha512(byte[] input) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(input);
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java platform has SHA-512", impossible);
        }
    }
}
