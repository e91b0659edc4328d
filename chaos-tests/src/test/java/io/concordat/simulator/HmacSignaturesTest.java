package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Signer;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Signer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The simulator's fast signatures reject everything Ed25519 would reject for a node that lacks the key. */
class HmacSignaturesTest {
    private static final Bytes MESSAGE = Bytes.ofUtf8("PREPARE view 3 sequence 17 digest 4a5b... from replica 2");

    private final HmacSignatures registry = new HmacSignatures();
    private final Signer alice = registry.register(seed(1));
    private final Signer bob = registry.register(seed(2));

    @Test
    void aSignatureVerifiesForItsMessageAndKeyAndIsAsLongAsAnEd25519One() {
        Bytes signature = alice.sign(MESSAGE);
        assertEquals(Ed25519Signer.SIGNATURE_SIZE_BYTES, signature.size());
        assertTrue(registry.verify(alice.publicKey(), MESSAGE, signature));
        assertTrue(registry.verify(alice.publicKey(), Bytes.EMPTY, alice.sign(Bytes.EMPTY)));
    }

    @Test
    void everyFlippedBitOfTheSignatureOrTheMessageIsRejected() {
        byte[] signature = alice.sign(MESSAGE).toByteArray();
        for (int bit = 0; bit < 8 * signature.length; bit++) {
            byte[] flipped = signature.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(registry.verify(alice.publicKey(), MESSAGE, Bytes.wrap(flipped)), "signature bit " + bit);
        }
        byte[] message = MESSAGE.toByteArray();
        for (int bit = 0; bit < 8 * message.length; bit++) {
            byte[] flipped = message.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            assertFalse(registry.verify(alice.publicKey(), Bytes.wrap(flipped), Bytes.wrap(signature)), "message bit " + bit);
        }
    }

    @Test
    void aSignatureByAnotherKeyIsRejected() {
        assertFalse(registry.verify(alice.publicKey(), MESSAGE, bob.sign(MESSAGE)));
        assertFalse(registry.verify(bob.publicKey(), MESSAGE, alice.sign(MESSAGE)));
        assertNotEquals(alice.sign(MESSAGE), bob.sign(MESSAGE));
    }

    @Test
    void anUnknownKeyNeverVerifies() {
        Signer elsewhere = new HmacSignatures().register(seed(3));
        assertFalse(registry.verify(elsewhere.publicKey(), MESSAGE, elsewhere.sign(MESSAGE)));
        byte[] madeUp = alice.publicKey().encoded().toByteArray();
        madeUp[0] ^= 1;
        assertFalse(registry.verify(new PublicKey(Bytes.wrap(madeUp)), MESSAGE, alice.sign(MESSAGE)));
    }

    @Test
    void aSignatureOfTheWrongLengthOrMissingInputIsRejectedWithoutThrowing() {
        byte[] signature = alice.sign(MESSAGE).toByteArray();
        for (int length : new int[] {0, 1, 32, 63, 65, 128}) {
            byte[] resized = Arrays.copyOf(signature, length);
            assertFalse(registry.verify(alice.publicKey(), MESSAGE, Bytes.wrap(resized)), "length " + length);
        }
        assertFalse(registry.verify(null, MESSAGE, Bytes.wrap(signature)));
        assertFalse(registry.verify(alice.publicKey(), null, Bytes.wrap(signature)));
        assertFalse(registry.verify(alice.publicKey(), MESSAGE, null));
    }

    @Test
    void sixtyFourRandomBytesAreRejected() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        for (int attempt = 0; attempt < 1_000; attempt++) {
            byte[] garbage = new byte[Ed25519Signer.SIGNATURE_SIZE_BYTES];
            random.nextBytes(garbage);
            assertFalse(registry.verify(alice.publicKey(), MESSAGE, Bytes.wrap(garbage)));
        }
    }

    @Test
    void theSchemesRejectEachOthersSignatures() {
        Ed25519KeyPair ed25519 = Ed25519KeyPair.fromSeed(seed(1));
        assertFalse(registry.verify(alice.publicKey(), MESSAGE, ed25519.signer().sign(MESSAGE)));
        assertFalse(new Ed25519Verifier().verify(ed25519.publicKey(), MESSAGE, alice.sign(MESSAGE)));
    }

    @Test
    void keysAreTheSeedsEd25519PublicKeysAndSignaturesAreDeterministic() {
        assertEquals(Ed25519KeyPair.fromSeed(seed(1)).publicKey(), alice.publicKey());
        Signer again = new HmacSignatures().register(seed(1));
        assertEquals(alice.sign(MESSAGE), again.sign(MESSAGE));
        assertEquals(alice.sign(MESSAGE), registry.register(seed(1)).sign(MESSAGE));
        assertFalse(alice.toString().contains(seed(1).toHex()), alice::toString);
    }

    private static Bytes seed(int value) {
        byte[] seed = new byte[Ed25519KeyPair.SEED_SIZE_BYTES];
        Arrays.fill(seed, (byte) value);
        return Bytes.wrap(seed);
    }
}
