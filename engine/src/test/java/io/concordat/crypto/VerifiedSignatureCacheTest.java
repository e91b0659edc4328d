package io.concordat.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifiedSignatureCacheTest {
    private final Ed25519KeyPair alice = Ed25519KeyPair.fromSeed(seed(1));
    private final Ed25519KeyPair bob = Ed25519KeyPair.fromSeed(seed(2));
    private final Bytes message = Bytes.ofUtf8("put balance 100");
    private final Bytes signature = alice.signer().sign(message);

    /** Counts the calls that reach Ed25519. */
    private static final class CountingVerifier implements SignatureVerifier {
        final AtomicInteger calls = new AtomicInteger();
        final Ed25519Verifier ed25519 = new Ed25519Verifier();

        @Override
        public boolean verify(PublicKey key, Bytes message, Bytes signature) {
            calls.incrementAndGet();
            return ed25519.verify(key, message, signature);
        }
    }

    @Test
    void aValidSignatureIsVerifiedOnceAndThenAnsweredFromMemory() {
        var counting = new CountingVerifier();
        var cache = new VerifiedSignatureCache(counting, 16);
        assertTrue(cache.verify(alice.publicKey(), message, signature));
        assertTrue(cache.verify(alice.publicKey(), Bytes.copyOf(message.toByteArray()),
                Bytes.copyOf(signature.toByteArray())), "equal bytes in other arrays are the same signature");
        assertEquals(1, counting.calls.get());
        assertEquals(1, cache.hits());
        assertEquals(1, cache.verifications());
    }

    @Test
    void whatDiffersInAnyByteFromARememberedSignatureIsVerifiedInFullAndFails() {
        var counting = new CountingVerifier();
        var cache = new VerifiedSignatureCache(counting, 16);
        assertTrue(cache.verify(alice.publicKey(), message, signature));
        byte[] altered = message.toByteArray();
        altered[altered.length - 1] ^= 1;
        assertFalse(cache.verify(alice.publicKey(), Bytes.wrap(altered), signature), "another message");
        assertFalse(cache.verify(bob.publicKey(), message, signature), "another key");
        byte[] flipped = signature.toByteArray();
        flipped[0] ^= 1;
        assertFalse(cache.verify(alice.publicKey(), message, Bytes.wrap(flipped)), "another signature");
        assertEquals(4, counting.calls.get(), "none of the three was answered from memory");
        assertEquals(0, cache.hits());
    }

    @Test
    void anInvalidSignatureIsNeverRememberedSoItFailsEveryTime() {
        var counting = new CountingVerifier();
        var cache = new VerifiedSignatureCache(counting, 16);
        Bytes forged = bob.signer().sign(message);
        for (int attempt = 0; attempt < 3; attempt++) {
            assertFalse(cache.verify(alice.publicKey(), message, forged));
        }
        assertEquals(3, counting.calls.get());
        assertFalse(cache.verify(null, message, signature));
        assertFalse(cache.verify(alice.publicKey(), null, signature));
        assertFalse(cache.verify(alice.publicKey(), message, null));
    }

    @Test
    void aFullCacheEvictsAndStillAnswersCorrectly() {
        var counting = new CountingVerifier();
        var cache = new VerifiedSignatureCache(counting, 1);
        Bytes other = Bytes.ofUtf8("put balance 200");
        Bytes otherSignature = alice.signer().sign(other);
        assertTrue(cache.verify(alice.publicKey(), message, signature));
        assertTrue(cache.verify(alice.publicKey(), other, otherSignature), "takes the only slot");
        assertTrue(cache.verify(alice.publicKey(), message, signature), "evicted, so verified again, and valid");
        assertEquals(3, counting.calls.get());
    }

    @Test
    void theCapacityIsAPowerOfTwoWithinBounds() {
        assertEquals(1, new VerifiedSignatureCache(new Ed25519Verifier(), 1).capacity());
        assertEquals(8, new VerifiedSignatureCache(new Ed25519Verifier(), 5).capacity());
        assertEquals(8192, VerifiedSignatureCache.ed25519().capacity());
        assertThrows(IllegalArgumentException.class, () -> new VerifiedSignatureCache(new Ed25519Verifier(), 0));
        assertThrows(IllegalArgumentException.class,
                () -> new VerifiedSignatureCache(new Ed25519Verifier(), (1 << 24) + 1));
    }

    private static Bytes seed(int value) {
        byte[] seed = new byte[32];
        seed[0] = (byte) value;
        return Bytes.wrap(seed);
    }
}
