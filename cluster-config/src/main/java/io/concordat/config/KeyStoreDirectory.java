package io.concordat.config;

import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PublicKey;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A directory of Ed25519 key pairs, two files per pair:
 * <ul>
 *   <li>{@code NAME.key}: one line {@code ed25519-private:<64 hex digits>} (the RFC 8032 seed), created
 *       readable and writable by its owner only ({@code rw-------}); loading refuses a private key file that
 *       others can read, as ssh does;
 *   <li>{@code NAME.pub}: one line {@code ed25519-public:<64 hex digits>}, world-readable, what goes into a
 *       cluster definition or a trusted administrator key list.
 * </ul>
 * NAME is a {@link KeyName}: {@code administrator}, {@code replica-<id>} or {@code client-<name>}. The
 * directory itself is created {@code rwx------}. Generating never replaces an existing key unless asked:
 * a replaced replica or administrator key cannot be recovered, and the cluster's definition names the old
 * public key.
 */
public final class KeyStoreDirectory {
    public static final String PRIVATE_SUFFIX = ".key";
    public static final String PUBLIC_SUFFIX = ".pub";

    /** A key file is one short line; anything much larger is not a key file. */
    private static final int KEY_FILE_BYTES_MAX = 4096;
    private static final Set<PosixFilePermission> PUBLIC_PERMISSIONS = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> OTHERS_ACCESS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** Whether {@link #generate} may replace an existing key pair. */
    public enum Overwrite {
        REFUSE,
        REPLACE
    }

    private final Path directory;

    public KeyStoreDirectory(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    public Path directory() {
        return directory;
    }

    public Path privateKeyFile(KeyName name) {
        return directory.resolve(name.fileStem() + PRIVATE_SUFFIX);
    }

    public Path publicKeyFile(KeyName name) {
        return directory.resolve(name.fileStem() + PUBLIC_SUFFIX);
    }

    /** True if the private key file of {@code name} exists. */
    public boolean contains(KeyName name) {
        return Files.exists(privateKeyFile(name), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Generates a key pair and writes both files.
     *
     * @throws KeyFileException if either file exists and {@code overwrite} is {@link Overwrite#REFUSE}, or
     *     the files cannot be written
     */
    public Ed25519KeyPair generate(KeyName name, SecureRandom random, Overwrite overwrite) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(random, "random");
        Objects.requireNonNull(overwrite, "overwrite");
        boolean replace = overwrite == Overwrite.REPLACE;
        Path privateFile = privateKeyFile(name);
        Path publicFile = publicKeyFile(name);
        if (!replace) {
            for (Path file : new Path[] {privateFile, publicFile}) {
                if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                    throw alreadyExists(file);
                }
            }
        }
        Ed25519KeyPair keyPair = Ed25519KeyPair.generate(random);
        try {
            AtomicFiles.createPrivateDirectories(directory);
            AtomicFiles.write(privateFile, KeyText.privateKey(keyPair) + "\n", AtomicFiles.OWNER_READ_WRITE, replace);
            AtomicFiles.write(publicFile, KeyText.publicKey(keyPair.publicKey()) + "\n", PUBLIC_PERMISSIONS, replace);
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists(Path.of(e.getFile()));
        } catch (IOException e) {
            throw new KeyFileException("cannot write the " + name + " key pair in " + directory + ": " + e, e);
        }
        return keyPair;
    }

    /**
     * Reads the key pair of {@code name} from its private key file, and checks that the public key file, if
     * present, holds the matching public key.
     */
    public Ed25519KeyPair loadKeyPair(KeyName name) {
        Ed25519KeyPair keyPair = readPrivateKeyFile(privateKeyFile(name));
        Path publicFile = publicKeyFile(name);
        if (Files.exists(publicFile)) {
            PublicKey stored = readPublicKeyFile(publicFile);
            if (!stored.equals(keyPair.publicKey())) {
                throw new KeyFileException(publicFile + " does not hold the public key of " + privateKeyFile(name)
                        + ": one of the two was replaced; regenerate the pair or restore the matching file");
            }
        }
        return keyPair;
    }

    public PublicKey loadPublicKey(KeyName name) {
        return readPublicKeyFile(publicKeyFile(name));
    }

    /** Reads a {@code .pub} file, such as a trusted administrator key handed to a node. */
    public static PublicKey readPublicKeyFile(Path file) {
        String text = readKeyFile(file, "public key");
        try {
            return KeyText.parsePublicKey(text.strip());
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(file + " is not a valid public key file: " + e.getMessage(), e);
        }
    }

    /** Reads a {@code .key} file, refusing one that other users can read. */
    public static Ed25519KeyPair readPrivateKeyFile(Path file) {
        String text = readKeyFile(file, "private key");
        requireOwnerOnly(file);
        try {
            return KeyText.parsePrivateKey(text.strip());
        } catch (IllegalArgumentException e) {
            throw new KeyFileException(file + " is not a valid private key file: " + e.getMessage(), e);
        }
    }

    private static String readKeyFile(Path file, String what) {
        if (!Files.exists(file)) {
            throw new KeyFileException("no " + what + " file " + file + " (generate keys with concordat keygen)");
        }
        if (!Files.isRegularFile(file)) {
            throw new KeyFileException(file + " is not a regular file, so it cannot be a " + what + " file");
        }
        byte[] content;
        try (InputStream input = Files.newInputStream(file)) {
            content = input.readNBytes(KEY_FILE_BYTES_MAX + 1);
        } catch (NoSuchFileException e) {
            throw new KeyFileException("no " + what + " file " + file, e);
        } catch (IOException e) {
            throw new KeyFileException("cannot read the " + what + " file " + file + ": " + e, e);
        }
        if (content.length > KEY_FILE_BYTES_MAX) {
            throw new KeyFileException(file + " is larger than " + KEY_FILE_BYTES_MAX + " bytes, so it is not a "
                    + what + " file");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
        } catch (CharacterCodingException e) {
            throw new KeyFileException(file + " is not a valid " + what + " file: it is not text", e);
        }
    }

    private static void requireOwnerOnly(Path file) {
        if (!AtomicFiles.posix()) {
            return;
        }
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            throw new KeyFileException("cannot read the permissions of " + file + ": " + e, e);
        }
        Set<PosixFilePermission> exposed = EnumSet.noneOf(PosixFilePermission.class);
        exposed.addAll(permissions);
        exposed.retainAll(OTHERS_ACCESS);
        if (!exposed.isEmpty()) {
            throw new KeyFileException("the private key file " + file + " is accessible by other users ("
                    + PosixFilePermissions.toString(permissions) + "); make it readable by its owner only"
                    + " (chmod 600 " + file + ") and consider the key leaked if others could read it");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyStoreDirectory store && directory.equals(store.directory);
    }

    @Override
    public int hashCode() {
        return directory.hashCode();
    }

    @Override
    public String toString() {
        return "KeyStoreDirectory[" + directory + "]";
    }

    private KeyFileException alreadyExists(Path file) {
        return new KeyFileException(file + " already exists; refusing to overwrite a key (the old key would be"
                + " lost and the cluster definition names its public key). Ask for overwrite explicitly to replace it");
    }
}
