package io.concordat.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.security.SecureRandom;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Ed25519KeyPairTest {

    /** RFC 8032 §7.1, tests 1 to 3: the key derivation and signatures must match the standard exactly. */
    @ParameterizedTest
    @CsvSource({
        "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60,"
                + "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a,"
                + ","
                + "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
        "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb,"
                + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c,"
                + "72,"
                + "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
        "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7,"
                + "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025,"
                + "af82,"
                + "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
    })
    void matchesRfc8032TestVectors(String seedHex, String publicKeyHex, String messageHex, String signatureHex) {
        Bytes message = messageHex == null ? Bytes.EMPTY : Bytes.fromHex(messageHex);
        Ed25519KeyPair keyPair = Ed25519KeyPair.fromSeed(Bytes.fromHex(seedHex));

        assertEquals(Bytes.fromHex(publicKeyHex), keyPair.publicKey().encoded());
        assertEquals(Bytes.fromHex(signatureHex), keyPair.signer().sign(message));
        assertTrue(new Ed25519Verifier().verify(keyPair.publicKey(), message, Bytes.fromHex(signatureHex)));
    }

    @Test
    void fromSeedIsDeterministic() {
        Bytes seed = seed(42);
        Ed25519KeyPair first = Ed25519KeyPair.fromSeed(seed);
        Ed25519KeyPair second = Ed25519KeyPair.fromSeed(Bytes.copyOf(seed.toByteArray()));
        Bytes message = Bytes.ofUtf8("same seed, same key, same signature");

        assertEquals(first, second);
        assertEquals(first.publicKey(), second.publicKey());
        assertEquals(first.signer().sign(message), second.signer().sign(message));
    }

    @Test
    void differentSeedsGiveDifferentKeys() {
        assertNotEquals(Ed25519KeyPair.fromSeed(seed(1)).publicKey(), Ed25519KeyPair.fromSeed(seed(2)).publicKey());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 31, 33, 64})
    void fromSeedRejectsWrongLength(int size) {
        var error = assertThrows(IllegalArgumentException.class, () -> Ed25519KeyPair.fromSeed(Bytes.wrap(new byte[size])));
        assertEquals("an Ed25519 private key seed is 32 bytes, got " + size, error.getMessage());
    }

    @Test
    void constructorRejectsAPublicKeyThatDoesNotBelongToTheSeed() {
        PublicKey otherKey = Ed25519KeyPair.fromSeed(seed(2)).publicKey();
        var error = assertThrows(IllegalArgumentException.class, () -> new Ed25519KeyPair(seed(1), otherKey));
        assertTrue(error.getMessage().contains("does not belong"), error.getMessage());
    }

    @Test
    void generateGivesAWorkingFreshPair() {
        SecureRandom random = new SecureRandom();
        Ed25519KeyPair first = Ed25519KeyPair.generate(random);
        Ed25519KeyPair second = Ed25519KeyPair.generate(random);
        Bytes message = Bytes.ofUtf8("hello");

        assertEquals(32, first.privateKeySeed().size());
        assertNotEquals(first.publicKey(), second.publicKey());
        assertEquals(first, Ed25519KeyPair.fromSeed(first.privateKeySeed()));
        assertTrue(new Ed25519Verifier().verify(first.publicKey(), message, first.signer().sign(message)));
    }

    @Test
    void toStringNeverShowsThePrivateSeed() {
        Ed25519KeyPair keyPair = Ed25519KeyPair.fromSeed(seed(7));
        String text = keyPair.toString();

        assertFalse(text.contains(keyPair.privateKeySeed().toHex()), text);
        assertFalse(text.contains(keyPair.privateKeySeed().toHex().substring(0, 8)), text);
        assertTrue(text.contains(keyPair.publicKey().encoded().toHex()), text);
        assertFalse(keyPair.signer().toString().contains(keyPair.privateKeySeed().toHex().substring(0, 8)));
    }

    static Bytes seed(long value) {
        byte[] seed = new byte[32];
        new SplittableRandom(value).nextBytes(seed);
        return Bytes.wrap(seed);
    }
}
