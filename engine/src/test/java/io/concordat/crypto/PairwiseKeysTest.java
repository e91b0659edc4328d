package io.concordat.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

/** The keys a client and a replica share without exchanging a message, and the MACs made with them. */
class PairwiseKeysTest {
    private static final Ed25519KeyPair CLIENT = pair(7);
    private static final Ed25519KeyPair REPLICA = pair(8);
    private static final Ed25519KeyPair OTHER_REPLICA = pair(9);
    private static final Bytes MESSAGE = Bytes.ofUtf8("reply bytes");
    private static final Bytes SIGNATURE = Bytes.wrap(new byte[64]);

    private static Ed25519KeyPair pair(int seed) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) seed);
        return Ed25519KeyPair.fromSeed(Bytes.wrap(bytes));
    }

    @Test
    void theEd25519PublicKeyMapsToTheX25519PublicKeyOfTheSameSigningScalar() throws Exception {
        for (int seed = 1; seed <= 20; seed++) {
            Ed25519KeyPair keys = pair(seed);
            byte[] scalar = Arrays.copyOf(MessageDigest.getInstance("SHA-512")
                    .digest(keys.privateKeySeed().toByteArray()), 32);
            byte[] expected = new byte[X25519.POINT_SIZE];
            X25519.scalarMultBase(scalar, 0, expected, 0);

            assertArrayEquals(expected, X25519Agreement.montgomeryU(keys.publicKey()).orElseThrow(), "seed " + seed);
        }
    }

    @Test
    void bothEndsDeriveTheSameKeysAlone() {
        PairwiseKey atClient = PairwiseKeys.ofClient(CLIENT.signer()).with(REPLICA.publicKey()).orElseThrow();
        PairwiseKey atReplica = PairwiseKeys.ofReplica(REPLICA.signer()).with(CLIENT.publicKey()).orElseThrow();

        Bytes reply = atReplica.replyAuthenticator(MESSAGE);
        assertEquals(PairwiseKey.REPLY_AUTHENTICATOR_BYTES, reply.size());
        assertTrue(atClient.checkReply(MESSAGE, reply));
        Bytes request = atClient.requestAuthenticator(MESSAGE, SIGNATURE);
        assertEquals(PairwiseKey.REQUEST_AUTHENTICATOR_BYTES, request.size());
        assertTrue(atReplica.checkRequest(MESSAGE, SIGNATURE, request));
    }

    @Test
    void anotherReplicasKeyAnotherMessageOrAFlippedBitDoesNotCheck() {
        PairwiseKey atClient = PairwiseKeys.ofClient(CLIENT.signer()).with(REPLICA.publicKey()).orElseThrow();
        PairwiseKey other = PairwiseKeys.ofReplica(OTHER_REPLICA.signer()).with(CLIENT.publicKey()).orElseThrow();
        PairwiseKey atReplica = PairwiseKeys.ofReplica(REPLICA.signer()).with(CLIENT.publicKey()).orElseThrow();

        assertFalse(atClient.checkReply(MESSAGE, other.replyAuthenticator(MESSAGE)));
        assertFalse(atClient.checkReply(Bytes.ofUtf8("reply bytez"), atReplica.replyAuthenticator(MESSAGE)));
        byte[] flipped = atReplica.replyAuthenticator(MESSAGE).toByteArray();
        flipped[17] ^= 0x04;
        assertFalse(atClient.checkReply(MESSAGE, Bytes.wrap(flipped)));
        assertFalse(atClient.checkReply(MESSAGE, Bytes.EMPTY));
        byte[] otherSignature = new byte[64];
        otherSignature[63] = 1;
        assertFalse(atReplica.checkRequest(MESSAGE, Bytes.wrap(otherSignature),
                atClient.requestAuthenticator(MESSAGE, SIGNATURE)), "the authenticator covers the signature too");
    }

    @Test
    void theTwoDirectionsUseDifferentKeysSoAMacCannotBeReflected() {
        PairwiseKey key = PairwiseKeys.ofClient(CLIENT.signer()).with(REPLICA.publicKey()).orElseThrow();
        byte[] request = key.requestAuthenticator(MESSAGE, Bytes.EMPTY).toByteArray();
        byte[] reply = key.replyAuthenticator(MESSAGE).toByteArray();
        assertNotEquals(Bytes.wrap(request), Bytes.wrap(Arrays.copyOf(reply, request.length)));
        byte[] doubled = Arrays.copyOf(request, 2 * request.length);
        System.arraycopy(request, 0, doubled, request.length, request.length);
        assertFalse(key.checkReply(MESSAGE, Bytes.wrap(doubled)));
    }

    @Test
    void keysOfSmallOrderOrOutsideTheFieldShareNoSecret() {
        byte[] identity = new byte[32];
        identity[0] = 1; // y = 1: the neutral element
        byte[] orderFour = new byte[32]; // y = 0: a point of order 4
        byte[] beyondTheField = new byte[32];
        Arrays.fill(beyondTheField, (byte) 0xff);
        beyondTheField[31] = 0x7f; // y = 2^255 - 1 > p
        PairwiseKeys keys = PairwiseKeys.ofReplica(REPLICA.signer());
        for (byte[] encoded : new byte[][] {identity, orderFour, beyondTheField}) {
            PublicKey bad = new PublicKey(Bytes.wrap(encoded));
            assertEquals(Optional.empty(), REPLICA.signer().sharedSecret(bad));
            assertEquals(Optional.empty(), keys.with(bad));
        }
    }

    @Test
    void theMemoryStartsAgainWhenFullAndStillAnswersTheSame() {
        PairwiseKeys small = new PairwiseKeys(REPLICA.signer(), PairwiseKeys.Role.REPLICA, 2);
        PairwiseKey first = small.with(CLIENT.publicKey()).orElseThrow();
        small.with(pair(10).publicKey());
        small.with(pair(11).publicKey());
        Bytes reply = small.with(CLIENT.publicKey()).orElseThrow().replyAuthenticator(MESSAGE);
        assertTrue(first.checkReply(MESSAGE, reply));
    }

    @Test
    void aKeyNeverShowsItsBytes() {
        PairwiseKey key = PairwiseKeys.ofClient(CLIENT.signer()).with(REPLICA.publicKey()).orElseThrow();
        assertEquals("PairwiseKey[redacted]", key.toString());
    }
}
