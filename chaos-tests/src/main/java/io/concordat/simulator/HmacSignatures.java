package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Signer;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * The simulator's fast signatures ({@link SignatureScheme#HMAC}): the "signature" of a message is
 * HMAC-SHA512(secret, message), 64 bytes like an Ed25519 signature (the codec accepts exactly 64), and the
 * verifier is the registry of one run's secrets, looked up by public key. Signing and verifying cost two
 * SHA-512 passes over the message, where Bouncy Castle's Ed25519 costs tens of microseconds to sign and more
 * to verify, which was most of a simulated run's time.
 *
 * <p><b>Why it is sound for the simulator.</b> PBFT needs signatures only to be unforgeable: nobody without
 * a node's private key can make bytes that verify under its public key. Here the secret plays the private
 * key's part. Each key's secret is derived from its 32-byte key seed (drawn from the run's seed, as the
 * Ed25519 seed is) and reaches two places only: the {@link Signer} handed to the node that owns the key, and
 * this registry, which the run gives to nodes only as a {@link SignatureVerifier} (a yes or no per message;
 * it never signs or reveals a secret). A Byzantine behaviour gets its own replica's signer and nothing
 * else, exactly as with Ed25519, so whatever it forges, garbles or replays it can only (a) sign with its own
 * key, which verifies under its own key only, as with Ed25519; (b) send bytes it did not get from a
 * signer, which verify only by guessing a 512-bit HMAC output; or (c) resend a signature it saw, which
 * verifies for exactly the message and key it was made for, as with Ed25519 (both are deterministic, so a
 * replay is byte-identical either way). Distinct keys have independent secrets, so a signature never
 * verifies under another key; a public key the registry does not know (for example one a test made up)
 * never verifies; a signature of the wrong length never verifies. What the scheme does not give is public
 * verifiability outside the run (nobody outside it holds the registry), which the simulator does not need:
 * every check happens inside the run. The verifier's answers are therefore the ones Ed25519's would be for
 * every message a node of the simulator can make, so the core's checks, the drop reasons and the
 * checkers' verdicts do not depend on the scheme; {@code HmacSignaturesTest} and
 * {@code SignatureSchemeTest} check it.
 *
 * <p>Public keys are the real Ed25519 public keys of the same key seeds (one scalar multiplication per key,
 * once per run), so a run's membership and client identities are the same under both schemes. Thread-safe:
 * the registry is a concurrent map that the run fills before it starts and only reads after, and every
 * signature uses a fresh MAC.
 */
final class HmacSignatures implements SignatureVerifier {
    private static final byte[] PAIRWISE_DOMAIN =
            "concordat simulator pairwise secret\0".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECRET_DOMAIN =
            "concordat simulator HMAC-SHA512 signing secret\0".getBytes(StandardCharsets.US_ASCII);

    /** Looked up only, never iterated, so hash order cannot leak into a run. */
    private final Map<PublicKey, byte[]> secretsByPublicKey = new ConcurrentHashMap<>();

    /**
     * Registers the key that {@code keySeed} (32 bytes) determines and returns its signer.
     *
     * @throws IllegalArgumentException if the seed is not 32 bytes or another seed gave the same public key
     */
    Signer register(Bytes keySeed) {
        Objects.requireNonNull(keySeed, "keySeed");
        PublicKey publicKey = Ed25519KeyPair.fromSeed(keySeed).publicKey();
        byte[] secret = mac(SECRET_DOMAIN, keySeed.unsafeArray());
        byte[] earlier = secretsByPublicKey.putIfAbsent(publicKey, secret);
        if (earlier != null && !MessageDigest.isEqual(earlier, secret)) {
            throw new IllegalArgumentException("two key seeds give the public key " + publicKey);
        }
        return new HmacSigner(publicKey, secret);
    }

    @Override
    public boolean verify(PublicKey key, Bytes message, Bytes signature) {
        if (key == null || message == null || signature == null
                || signature.size() != Ed25519Signer.SIGNATURE_SIZE_BYTES) {
            return false;
        }
        byte[] secret = secretsByPublicKey.get(key);
        if (secret == null) {
            return false;
        }
        return MessageDigest.isEqual(mac(secret, message.unsafeArray()), signature.unsafeArray());
    }

    private static byte[] mac(byte[] secret, byte[] message) {
        HMac mac = new HMac(new SHA512Digest());
        mac.init(new KeyParameter(secret));
        mac.update(message, 0, message.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    /** Signs with one registered secret; what a node holds in place of its Ed25519 private key. */
    private static final class HmacSigner implements Signer {
        private final PublicKey publicKey;
        private final byte[] secret;

        HmacSigner(PublicKey publicKey, byte[] secret) {
            this.publicKey = publicKey;
            this.secret = secret;
        }

        @Override
        public PublicKey publicKey() {
            return publicKey;
        }

        @Override
        public Bytes sign(Bytes message) {
            Objects.requireNonNull(message, "message");
            return Bytes.wrap(mac(secret, message.unsafeArray()));
        }

        /**
         * Stands in for X25519: a hash of the two public keys, lower first, so both ends get the same
         * secret. Anyone holding both public keys could compute it, which the simulator does not mind for
         * the reason the class comment gives for signatures: a node reaches it only through its own signer,
         * so only for pairs it belongs to, exactly as with X25519.
         */
        @Override
        public Optional<Bytes> sharedSecret(PublicKey peer) {
            Objects.requireNonNull(peer, "peer");
            PublicKey lower = publicKey.compareTo(peer) <= 0 ? publicKey : peer;
            PublicKey higher = lower == publicKey ? peer : publicKey;
            byte[] pair = new byte[2 * PublicKey.SIZE_BYTES];
            System.arraycopy(lower.encoded().unsafeArray(), 0, pair, 0, PublicKey.SIZE_BYTES);
            System.arraycopy(higher.encoded().unsafeArray(), 0, pair, PublicKey.SIZE_BYTES, PublicKey.SIZE_BYTES);
            return Optional.of(Bytes.copyOf(mac(PAIRWISE_DOMAIN, pair), 0, PublicKey.SIZE_BYTES));
        }

        /** Shows the public key only, like {@link Ed25519Signer}. */
        @Override
        public String toString() {
            return "HmacSigner[publicKey=" + publicKey.encoded().toHex() + "]";
        }
    }
}
