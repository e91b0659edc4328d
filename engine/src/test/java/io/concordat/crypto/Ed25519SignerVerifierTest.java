package io.concordat.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ed25519SignerVerifierTest {
    /** The order L of the Ed25519 base point (RFC 8032 §5.1). */
    private static final BigInteger GROUP_ORDER =
            BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));

    private final Ed25519KeyPair keyPair = Ed25519KeyPair.fromSeed(Ed25519KeyPairTest.seed(1));
    private final Signer signer = keyPair.signer();
    private final Ed25519Verifier verifier = new Ed25519Verifier();

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 64, 1024, 65536})
    void signatureOfAnyLengthMessageVerifies(int messageBytes) {
        Bytes message = randomBytes(messageBytes, messageBytes);
        Bytes signature = signer.sign(message);

        assertEquals(64, signature.size());
        assertEquals(keyPair.publicKey(), signer.publicKey());
        assertTrue(verifier.verify(keyPair.publicKey(), message, signature));
    }

    @Test
    void signingIsDeterministic() {
        Bytes message = Bytes.ofUtf8("PREPARE");
        assertEquals(signer.sign(message), signer.sign(message));
    }

    @Test
    void everySingleBitFlipOfTheMessageFailsVerification() {
        Bytes message = randomBytes(40, 2);
        Bytes signature = signer.sign(message);
        for (int bit = 0; bit < message.size() * 8; bit++) {
            assertFalse(verifier.verify(keyPair.publicKey(), flipBit(message, bit), signature), "bit " + bit);
        }
    }

    @Test
    void everySingleBitFlipOfTheSignatureFailsVerification() {
        Bytes message = Bytes.ofUtf8("COMMIT");
        Bytes signature = signer.sign(message);
        for (int bit = 0; bit < signature.size() * 8; bit++) {
            assertFalse(verifier.verify(keyPair.publicKey(), message, flipBit(signature, bit)), "bit " + bit);
        }
    }

    @Test
    void signatureUnderAnotherKeyFails() {
        Bytes message = Bytes.ofUtf8("CHECKPOINT");
        PublicKey otherKey = Ed25519KeyPair.fromSeed(Ed25519KeyPairTest.seed(2)).publicKey();
        assertFalse(verifier.verify(otherKey, message, signer.sign(message)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 32, 63, 65, 128})
    void wrongLengthSignatureIsFalseNotAnException(int size) {
        Bytes message = Bytes.ofUtf8("x");
        Bytes signature = signer.sign(message);
        Bytes resized = Bytes.copyOf(java.util.Arrays.copyOf(signature.toByteArray(), size));
        assertFalse(verifier.verify(keyPair.publicKey(), message, resized));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33})
    void wrongLengthKeyCannotBeBuilt(int size) {
        assertThrows(IllegalArgumentException.class, () -> new PublicKey(Bytes.wrap(new byte[size])));
    }

    @Test
    void missingArgumentsAreFalseNotAnException() {
        Bytes message = Bytes.ofUtf8("x");
        Bytes signature = signer.sign(message);
        assertFalse(verifier.verify(null, message, signature));
        assertFalse(verifier.verify(keyPair.publicKey(), null, signature));
        assertFalse(verifier.verify(keyPair.publicKey(), message, null));
    }

    @Test
    void keysThatAreNotCurvePointsAreFalseNotAnException() {
        Bytes message = Bytes.ofUtf8("x");
        Bytes signature = signer.sign(message);
        byte[] allOnes = new byte[32];
        java.util.Arrays.fill(allOnes, (byte) 0xff);
        assertFalse(verifier.verify(new PublicKey(Bytes.wrap(allOnes)), message, signature));
        SplittableRandom random = new SplittableRandom(3);
        for (int attempt = 0; attempt < 200; attempt++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            assertFalse(verifier.verify(new PublicKey(Bytes.wrap(key)), message, signature));
        }
    }

    /**
     * Adding the group order to S gives the same point equation, so a lax verifier would accept a second
     * encoding of the same signature (malleability). RFC 8032 §5.1.7 requires S < L.
     */
    @Test
    void signatureWithScalarNotBelowGroupOrderFails() {
        Bytes message = Bytes.ofUtf8("malleable?");
        byte[] signature = signer.sign(message).toByteArray();
        BigInteger scalar = littleEndian(signature, 32, 32).add(GROUP_ORDER);
        byte[] widened = toLittleEndian(scalar, 32);
        System.arraycopy(widened, 0, signature, 32, 32);

        assertFalse(verifier.verify(keyPair.publicKey(), message, Bytes.wrap(signature)));
    }

    @Test
    void oneSignerIsSafeToShareAcrossThreads() throws Exception {
        List<Bytes> messages = new ArrayList<>();
        List<Bytes> expected = new ArrayList<>();
        for (int index = 0; index < 50; index++) {
            Bytes message = randomBytes(100 + index, index);
            messages.add(message);
            expected.add(signer.sign(message));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Bytes>>> results = new ArrayList<>();
            for (int thread = 0; thread < 4; thread++) {
                results.add(pool.submit(() -> {
                    List<Bytes> signatures = new ArrayList<>();
                    for (Bytes message : messages) {
                        signatures.add(signer.sign(message));
                    }
                    return signatures;
                }));
            }
            for (Future<List<Bytes>> result : results) {
                assertEquals(expected, result.get());
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        }
    }

    @Test
    void signingDoesNotChangeTheMessage() {
        byte[] content = randomBytes(64, 9).toByteArray();
        Bytes message = Bytes.wrap(content.clone());
        signer.sign(message);
        assertArrayEquals(content, message.toByteArray());
    }

    static Bytes randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new SplittableRandom(seed).nextBytes(bytes);
        return Bytes.wrap(bytes);
    }

    static Bytes flipBit(Bytes value, int bit) {
        byte[] bytes = value.toByteArray();
        bytes[bit / 8] ^= (byte) (1 << (bit % 8));
        return Bytes.wrap(bytes);
    }

    private static BigInteger littleEndian(byte[] bytes, int offset, int length) {
        byte[] bigEndian = new byte[length];
        for (int index = 0; index < length; index++) {
            bigEndian[index] = bytes[offset + length - 1 - index];
        }
        return new BigInteger(1, bigEndian);
    }

    private static byte[] toLittleEndian(BigInteger value, int length) {
        byte[] bigEndian = value.toByteArray();
        byte[] result = new byte[length];
        for (int index = 0; index < length && index < bigEndian.length; index++) {
            result[index] = bigEndian[bigEndian.length - 1 - index];
        }
        return result;
    }
}
