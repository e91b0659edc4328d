package io.concordat.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyEncodingTest {
    private final Ed25519KeyPair keyPair = Ed25519KeyPair.fromSeed(Ed25519KeyPairTest.seed(5));
    private final String publicHex = keyPair.publicKey().encoded().toHex();
    private final String privateHex = keyPair.privateKeySeed().toHex();

    @Test
    void publicKeyRoundTrips() {
        String text = KeyEncoding.encodePublicKey(keyPair.publicKey());
        assertEquals("ed25519-public:" + publicHex, text);
        assertEquals(keyPair.publicKey(), KeyEncoding.parsePublicKey(text));
    }

    @Test
    void privateKeyRoundTripsToTheWholePair() {
        String text = KeyEncoding.encodePrivateKey(keyPair);
        assertEquals("ed25519-private:" + privateHex, text);
        assertEquals(keyPair, KeyEncoding.parsePrivateKey(text));
    }

    @Test
    void surroundingWhitespaceAndUpperCaseHexAreAccepted() {
        assertEquals(keyPair.publicKey(), KeyEncoding.parsePublicKey("  ed25519-public:" + publicHex.toUpperCase() + "\n"));
        assertEquals(keyPair, KeyEncoding.parsePrivateKey("ed25519-private:" + privateHex + "\r\n"));
    }

    @Test
    void privateKeyWhereAPublicKeyBelongsIsNamed() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> KeyEncoding.parsePublicKey(KeyEncoding.encodePrivateKey(keyPair)));
        assertEquals("expected an Ed25519 public key starting with 'ed25519-public:' but found 'ed25519-private:'",
                error.getMessage());
    }

    @Test
    void publicKeyWhereAPrivateKeyBelongsIsNamed() {
        var error = assertThrows(IllegalArgumentException.class,
                () -> KeyEncoding.parsePrivateKey(KeyEncoding.encodePublicKey(keyPair.publicKey())));
        assertEquals("expected an Ed25519 private key starting with 'ed25519-private:' but found 'ed25519-public:'",
                error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ed448-public:", "ED25519-PUBLIC:", "ed25519:", "public:"})
    void wrongPrefixIsRejected(String prefix) {
        var error = assertThrows(IllegalArgumentException.class, () -> KeyEncoding.parsePublicKey(prefix + publicHex));
        assertEquals("an Ed25519 public key must start with 'ed25519-public:'", error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"g", "-", " ", "\u0663", "\uff10"})
    void nonHexCharacterIsRejectedWithItsPosition(String bad) {
        String hex = publicHex.substring(0, 10) + bad + publicHex.substring(11);
        var error = assertThrows(IllegalArgumentException.class, () -> KeyEncoding.parsePublicKey("ed25519-public:" + hex));
        assertEquals("an Ed25519 public key must be hex digits after 'ed25519-public:'; character 11 is not a hex digit",
                error.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 62, 63, 65, 66, 128})
    void wrongLengthIsRejected(int hexDigits) {
        String hex = (publicHex + publicHex + publicHex).substring(0, hexDigits);
        var error = assertThrows(IllegalArgumentException.class, () -> KeyEncoding.parsePublicKey("ed25519-public:" + hex));
        assertEquals("an Ed25519 public key is 32 bytes (64 hex digits) after 'ed25519-public:', got " + hexDigits
                + " characters", error.getMessage());
    }

    @Test
    void privateKeyErrorsNeverRepeatTheKeyMaterial() {
        String truncated = "ed25519-private:" + privateHex.substring(0, 60);
        String badDigit = "ed25519-private:" + privateHex.substring(0, 63) + "z";
        String wrongPrefix = "ed25519-secret:" + privateHex;
        for (String text : new String[] {truncated, badDigit, wrongPrefix}) {
            var error = assertThrows(IllegalArgumentException.class, () -> KeyEncoding.parsePrivateKey(text));
            assertFalse(error.getMessage().contains(privateHex.substring(0, 8)), error.getMessage());
            assertTrue(error.getMessage().contains("private key"), error.getMessage());
        }
    }
}
