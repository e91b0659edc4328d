package io.concordat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.KeyEncoding;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreDirectoryTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path temporary;
    private KeyStoreDirectory keys;

    @BeforeEach
    void createStore() {
        keys = new KeyStoreDirectory(temporary.resolve("keys"));
    }

    @Test
    void generatedKeysLoadBack() {
        Ed25519KeyPair generated = keys.generate(KeyName.replica(3), RANDOM, KeyStoreDirectory.Overwrite.REFUSE);

        assertEquals(generated, keys.loadKeyPair(KeyName.replica(3)));
        assertEquals(generated.publicKey(), keys.loadPublicKey(KeyName.replica(3)));
        assertTrue(keys.contains(KeyName.replica(3)));
        assertFalse(keys.contains(KeyName.replica(4)));
    }

    @Test
    void keyFilesHoldOneLineOfTheDocumentedText() throws IOException {
        Ed25519KeyPair generated = keys.generate(KeyName.administrator(), RANDOM, KeyStoreDirectory.Overwrite.REFUSE);

        assertEquals(KeyEncoding.encodePrivateKey(generated) + "\n",
                Files.readString(keys.privateKeyFile(KeyName.administrator())));
        assertEquals(KeyEncoding.encodePublicKey(generated.publicKey()) + "\n",
                Files.readString(keys.publicKeyFile(KeyName.administrator())));
        assertEquals(temporary.resolve("keys/administrator.key"), keys.privateKeyFile(KeyName.administrator()));
        assertEquals(temporary.resolve("keys/client-alice.pub"), keys.publicKeyFile(KeyName.client("alice")));
    }

    @Test
    void privateKeyFilesAndTheDirectoryAreOwnerOnly() throws IOException {
        assumeTrue(AtomicFiles.posix());
        keys.generate(KeyName.replica(0), RANDOM, KeyStoreDirectory.Overwrite.REFUSE);

        assertEquals(PosixFilePermissions.fromString("rw-------"),
                Files.getPosixFilePermissions(keys.privateKeyFile(KeyName.replica(0))));
        assertEquals(PosixFilePermissions.fromString("rwx------"), Files.getPosixFilePermissions(keys.directory()));
        assertTrue(Files.getPosixFilePermissions(keys.publicKeyFile(KeyName.replica(0)))
                .contains(PosixFilePermission.OWNER_READ));
    }

    @Test
    void refusesToOverwriteAnExistingKey() throws IOException {
        keys.generate(KeyName.replica(1), RANDOM, KeyStoreDirectory.Overwrite.REFUSE);
        String before = Files.readString(keys.privateKeyFile(KeyName.replica(1)));

        KeyFileException error = assertThrows(KeyFileException.class,
                () -> keys.generate(KeyName.replica(1), RANDOM, KeyStoreDirectory.Overwrite.REFUSE));

        assertTrue(error.getMessage().contains("replica-1.key already exists; refusing to overwrite"),
                error::getMessage);
        assertEquals(before, Files.readString(keys.privateKeyFile(KeyName.replica(1))));
    }

    @Test
    void refusesWhenOnlyThePublicHalfExists() throws IOException {
        Files.createDirectories(keys.directory());
        Files.writeString(keys.publicKeyFile(KeyName.replica(2)), "anything");

        KeyFileException error = assertThrows(KeyFileException.class,
                () -> keys.generate(KeyName.replica(2), RANDOM, KeyStoreDirectory.Overwrite.REFUSE));

        assertTrue(error.getMessage().contains("replica-2.pub already exists"), error::getMessage);
        assertFalse(Files.exists(keys.privateKeyFile(KeyName.replica(2))));
    }

    @Test
    void replacesAnExistingKeyWhenAsked() throws IOException {
        Ed25519KeyPair first = keys.generate(KeyName.replica(1), RANDOM, KeyStoreDirectory.Overwrite.REFUSE);

        Ed25519KeyPair second = keys.generate(KeyName.replica(1), RANDOM, KeyStoreDirectory.Overwrite.REPLACE);

        assertNotEquals(first, second);
        assertEquals(second, keys.loadKeyPair(KeyName.replica(1)));
        if (AtomicFiles.posix()) {
            assertEquals(PosixFilePermissions.fromString("rw-------"),
                    Files.getPosixFilePermissions(keys.privateKeyFile(KeyName.replica(1))));
        }
    }

    @Test
    void aMissingPrivateKeyFileIsNamed() {
        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(5)));

        assertTrue(error.getMessage().startsWith("no private key file " + keys.privateKeyFile(KeyName.replica(5))),
                error::getMessage);
    }

    @Test
    void aMissingPublicKeyFileIsNamed() {
        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadPublicKey(KeyName.administrator()));

        assertTrue(error.getMessage().startsWith("no public key file"), error::getMessage);
    }

    @Test
    void aCorruptPrivateKeyFileIsNamed() throws IOException {
        writePrivate(KeyName.replica(0), "ed25519-private:not-hex-at-all");

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(0)));

        assertTrue(error.getMessage().startsWith(keys.privateKeyFile(KeyName.replica(0))
                + " is not a valid private key file"), error::getMessage);
    }

    @Test
    void aTruncatedPrivateKeyFileIsNamed() throws IOException {
        String text = KeyEncoding.encodePrivateKey(TestDefinitions.keyPair(1));
        writePrivate(KeyName.replica(0), text.substring(0, text.length() - 10));

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(0)));

        assertTrue(error.getMessage().contains("is not a valid private key file"), error::getMessage);
    }

    @Test
    void aBinaryFileIsNotAKeyFile() throws IOException {
        Files.createDirectories(keys.directory());
        Path file = keys.privateKeyFile(KeyName.replica(0));
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});
        ownerOnly(file);

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(0)));

        assertTrue(error.getMessage().contains("it is not text"), error::getMessage);
    }

    @Test
    void aHugeFileIsNotAKeyFile() throws IOException {
        writePrivate(KeyName.replica(0), "x".repeat(10_000));

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(0)));

        assertTrue(error.getMessage().contains("is larger than 4096 bytes"), error::getMessage);
    }

    @Test
    void aPublicKeyInThePrivateKeyFileIsNamed() throws IOException {
        writePrivate(KeyName.replica(0), KeyEncoding.encodePublicKey(TestDefinitions.replicaKey(0)));

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(0)));

        assertTrue(error.getMessage().contains("found 'ed25519-public:'"), error::getMessage);
    }

    @Test
    void aCorruptPublicKeyFileIsNamed() throws IOException {
        Files.createDirectories(keys.directory());
        Files.writeString(keys.publicKeyFile(KeyName.administrator()), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5");

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadPublicKey(KeyName.administrator()));

        assertTrue(error.getMessage().contains("administrator.pub is not a valid public key file"), error::getMessage);
    }

    @Test
    void aPrivateKeyReadableByOthersIsRefused() throws IOException {
        assumeTrue(AtomicFiles.posix());
        keys.generate(KeyName.replica(0), RANDOM, KeyStoreDirectory.Overwrite.REFUSE);
        Path file = keys.privateKeyFile(KeyName.replica(0));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(0)));

        assertTrue(error.getMessage().contains("is accessible by other users (rw-r--r--)"), error::getMessage);
        assertTrue(error.getMessage().contains("chmod 600"), error::getMessage);
    }

    @Test
    void aPublicKeyFileThatDoesNotMatchItsPrivateKeyIsNamed() throws IOException {
        keys.generate(KeyName.replica(0), RANDOM, KeyStoreDirectory.Overwrite.REFUSE);
        Files.writeString(keys.publicKeyFile(KeyName.replica(0)),
                KeyEncoding.encodePublicKey(TestDefinitions.replicaKey(9)));

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(0)));

        assertTrue(error.getMessage().contains("does not hold the public key of"), error::getMessage);
    }

    @Test
    void errorsNeverContainKeyMaterial() throws IOException {
        Ed25519KeyPair keyPair = TestDefinitions.keyPair(3);
        String seed = keyPair.privateKeySeed().toHex();
        writePrivate(KeyName.replica(0), KeyEncoding.encodePrivateKey(keyPair) + "00");

        KeyFileException error = assertThrows(KeyFileException.class, () -> keys.loadKeyPair(KeyName.replica(0)));

        assertFalse(error.getMessage().contains(seed.substring(0, 16)), error::getMessage);
    }

    @Test
    void keyNamesAreValidated() {
        assertEquals("client-load-generator_1", KeyName.client("load-generator_1").fileStem());
        assertThrows(IllegalArgumentException.class, () -> KeyName.client("../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> KeyName.client("Alice"));
        assertThrows(IllegalArgumentException.class, () -> KeyName.replica(-1));
        assertThrows(IllegalArgumentException.class, () -> new KeyName("replica-01"));
    }

    private void writePrivate(KeyName name, String text) throws IOException {
        Files.createDirectories(keys.directory());
        Path file = keys.privateKeyFile(name);
        Files.writeString(file, text);
        ownerOnly(file);
    }

    private static void ownerOnly(Path file) throws IOException {
        if (AtomicFiles.posix()) {
            Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
            Files.setPosixFilePermissions(file, ownerOnly);
        }
    }
}
