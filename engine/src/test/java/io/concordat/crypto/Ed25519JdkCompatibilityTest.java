package io.concordat.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks our Bouncy Castle keys and signatures against the JDK's independent Ed25519 implementation, so
 * that a client in any language with a standard RFC 8032 library can interoperate.
 */
class Ed25519JdkCompatibilityTest {
    /** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410); the raw key follows. */
    private static final Bytes X509_ED25519_PREFIX = Bytes.fromHex("302a300506032b6570032100");

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void bouncyCastleSignatureVerifiesWithTheJdk(long seed) throws Exception {
        Ed25519KeyPair keyPair = Ed25519KeyPair.fromSeed(Ed25519KeyPairTest.seed(seed));
        Bytes message = Ed25519SignerVerifierTest.randomBytes((int) (seed * 97), seed);
        Bytes signature = keyPair.signer().sign(message);

        Signature jdkVerifier = Signature.getInstance("Ed25519", "SunEC");
        jdkVerifier.initVerify(jdkPublicKey(keyPair.publicKey()));
        jdkVerifier.update(message.toByteArray());
        assertTrue(jdkVerifier.verify(signature.toByteArray()));

        jdkVerifier.initVerify(jdkPublicKey(keyPair.publicKey()));
        jdkVerifier.update(Ed25519SignerVerifierTest.flipBit(message.isEmpty() ? Bytes.wrap(new byte[1]) : message, 0)
                .toByteArray());
        assertFalse(jdkVerifier.verify(signature.toByteArray()));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void jdkSignatureOfTheSameSeedIsIdenticalAndVerifiesWithBouncyCastle(long seed) throws Exception {
        Ed25519KeyPair keyPair = Ed25519KeyPair.fromSeed(Ed25519KeyPairTest.seed(seed));
        Bytes message = Ed25519SignerVerifierTest.randomBytes(1024, seed);

        KeyFactory keyFactory = KeyFactory.getInstance("Ed25519", "SunEC");
        var jdkPrivateKey = keyFactory.generatePrivate(
                new EdECPrivateKeySpec(NamedParameterSpec.ED25519, keyPair.privateKeySeed().toByteArray()));
        Signature jdkSigner = Signature.getInstance("Ed25519", "SunEC");
        jdkSigner.initSign(jdkPrivateKey);
        jdkSigner.update(message.toByteArray());
        Bytes jdkSignature = Bytes.wrap(jdkSigner.sign());

        assertEquals(keyPair.signer().sign(message), jdkSignature);
        assertTrue(new Ed25519Verifier().verify(keyPair.publicKey(), message, jdkSignature));
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void jdkDerivesTheSamePublicKeyFromTheSeed(long seed) throws Exception {
        Bytes privateKeySeed = Ed25519KeyPairTest.seed(seed);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519", "SunEC");
        generator.initialize(NamedParameterSpec.ED25519, new FixedSecureRandom(privateKeySeed.toByteArray()));
        KeyPair jdkKeyPair = generator.generateKeyPair();
        byte[] x509 = jdkKeyPair.getPublic().getEncoded();
        Bytes jdkRawPublicKey = Bytes.copyOf(x509, X509_ED25519_PREFIX.size(), 32);

        assertEquals(X509_ED25519_PREFIX, Bytes.copyOf(x509, 0, X509_ED25519_PREFIX.size()));
        assertEquals(Ed25519KeyPair.fromSeed(privateKeySeed).publicKey().encoded(), jdkRawPublicKey);
    }

    private static java.security.PublicKey jdkPublicKey(PublicKey key) throws Exception {
        byte[] x509 = Arrays.copyOf(X509_ED25519_PREFIX.toByteArray(), X509_ED25519_PREFIX.size() + 32);
        System.arraycopy(key.encoded().toByteArray(), 0, x509, X509_ED25519_PREFIX.size(), 32);
        return KeyFactory.getInstance("Ed25519", "SunEC").generatePublic(new X509EncodedKeySpec(x509));
    }

    /** Hands the JDK's key generator a chosen seed, so that both libraries start from the same private key. */
    private static final class FixedSecureRandom extends SecureRandom {
        private static final long serialVersionUID = 1L;
        private final byte[] seed;

        FixedSecureRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            assertEquals(seed.length, bytes.length, "the JDK asked for an unexpected number of random bytes");
            System.arraycopy(seed, 0, bytes, 0, bytes.length);
        }
    }
}
