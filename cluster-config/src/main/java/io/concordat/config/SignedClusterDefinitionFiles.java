package io.concordat.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A signed definition on disk: the HOCON definition file (say {@code cluster.conf}) and next to it a detached
 * signature file with the same name plus {@code .sig} ({@code cluster.conf.sig}):
 *
 * <pre>
 * format = "concordat-cluster-signature v1"
 * administrator-fingerprint = "sha256:&lt;64 hex&gt;"     # KeyFingerprint of the signing administrator key
 * definition-digest = "sha256:&lt;64 hex&gt;"             # SHA-256 of CanonicalForm.bytes(definition)
 * signature = "ed25519-signature:&lt;128 hex&gt;"          # Ed25519 over CanonicalForm.bytes(definition)
 * </pre>
 *
 * The signature covers the canonical form of the parsed definition, not the file's text, so reformatting or
 * commenting the HOCON file keeps it valid while changing any value breaks it.
 */
public final class SignedClusterDefinitionFiles {
    static final String SIGNATURE_SUFFIX = ".sig";
    static final String FORMAT_KEY = "format";
    static final String FORMAT = "concordat-cluster-signature v1";
    private static final List<String> SIGNATURE_KEYS = List.of(FORMAT_KEY, SignedClusterDefinition.FINGERPRINT_KEY,
            SignedClusterDefinition.DIGEST_KEY, SignedClusterDefinition.SIGNATURE_KEY);

    private SignedClusterDefinitionFiles() {}

    /** The detached signature file of {@code definitionFile}: the same name with {@code .sig} appended. */
    public static Path signatureFileOf(Path definitionFile) {
        return definitionFile.resolveSibling(definitionFile.getFileName() + SIGNATURE_SUFFIX);
    }

    /** Writes the definition as HOCON and its detached signature, each atomically, replacing earlier ones. */
    public static void write(Path definitionFile, SignedClusterDefinition signed) {
        try {
            Path directory = definitionFile.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            AtomicFiles.write(definitionFile, ClusterDefinitionRenderer.toHocon(signed.definition()),
                    PosixFilePermissions.fromString("rw-r--r--"), true);
            AtomicFiles.write(signatureFileOf(definitionFile), signatureText(definitionFile, signed),
                    PosixFilePermissions.fromString("rw-r--r--"), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the signed cluster definition " + definitionFile, e);
        }
    }

    /** Reads the definition and its signature file, without verifying; reports the problems of both at once. */
    public static SignedClusterDefinition read(Path definitionFile) {
        List<Problem> problems = new ArrayList<>();
        Optional<ClusterDefinition> definition = Optional.empty();
        try {
            definition = Optional.of(ClusterDefinitionLoader.load(definitionFile));
        } catch (ClusterDefinitionException e) {
            problems.addAll(e.problems());
        }
        Optional<SignatureFields> signature = readSignature(signatureFileOf(definitionFile), problems);
        if (!problems.isEmpty()) {
            throw new ClusterDefinitionException(problems);
        }
        SignatureFields fields = signature.orElseThrow();
        return new SignedClusterDefinition(definition.orElseThrow(), fields.digest(), fields.fingerprint(),
                fields.signature());
    }

    /**
     * Reads the definition and returns it only if its signature verifies under one of the trusted
     * administrator keys: the way a node starts.
     */
    public static ClusterDefinition readVerified(Path definitionFile, Collection<PublicKey> trustedAdministratorKeys,
            SignatureVerifier verifier) {
        return read(definitionFile).verify(trustedAdministratorKeys, verifier);
    }

    private static String signatureText(Path definitionFile, SignedClusterDefinition signed) {
        return "# Detached signature of " + definitionFile.getFileName() + ": Ed25519 by the administrator over\n"
                + "# the definition's canonical form (cluster-config/README.md). Do not edit.\n"
                + FORMAT_KEY + " = \"" + FORMAT + "\"\n"
                + SignedClusterDefinition.FINGERPRINT_KEY + " = \"" + signed.administratorFingerprint() + "\"\n"
                + SignedClusterDefinition.DIGEST_KEY + " = \""
                + SignedClusterDefinition.digestText(signed.signedDigest()) + "\"\n"
                + SignedClusterDefinition.SIGNATURE_KEY + " = \"" + KeyText.signature(signed.signature()) + "\"\n";
    }

    private record SignatureFields(KeyFingerprint fingerprint, Digest digest, Bytes signature) {}

    private static Optional<SignatureFields> readSignature(Path file, List<Problem> problems) {
        String path = file.toString();
        if (!Files.isRegularFile(file)) {
            problems.add(new Problem(path, "no signature file: a node only runs a definition the administrator"
                    + " signed (concordat sign)"));
            return Optional.empty();
        }
        ConfigObject root;
        try {
            root = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setAllowMissing(false).setOriginDescription(path)).root();
        } catch (ConfigException e) {
            problems.add(new Problem(path, "cannot read the signature file: " + e.getMessage()));
            return Optional.empty();
        }
        ConfigReader reader = new ConfigReader();
        reader.rejectUnknownKeys(root, "", SIGNATURE_KEYS);
        reader.string(root, "", FORMAT_KEY, true).ifPresent(format -> {
            if (!FORMAT.equals(format)) {
                reader.report(FORMAT_KEY, "unsupported format \"" + format + "\"; this version"
                        + " reads \"" + FORMAT + "\"");
            }
        });
        Optional<KeyFingerprint> fingerprint = decode(reader, root, SignedClusterDefinition.FINGERPRINT_KEY,
                KeyFingerprint::parse);
        Optional<Digest> digest = decode(reader, root, SignedClusterDefinition.DIGEST_KEY,
                text -> new Digest(KeyText.parseDigest(text)));
        Optional<Bytes> signature = decode(reader, root, SignedClusterDefinition.SIGNATURE_KEY,
                KeyText::parseSignature);
        for (Problem problem : reader.problems()) {
            problems.add(new Problem(path + ": " + problem.path(), problem.message()));
        }
        if (fingerprint.isEmpty() || digest.isEmpty() || signature.isEmpty() || !reader.problems().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SignatureFields(fingerprint.get(), digest.get(), signature.get()));
    }

    private static <T> Optional<T> decode(ConfigReader reader, ConfigObject root, String key,
            Function<String, T> decoder) {
        return reader.string(root, "", key, true).flatMap(text -> {
            try {
                return Optional.of(decoder.apply(text));
            } catch (IllegalArgumentException e) {
                reader.report(key, e.getMessage());
                return Optional.empty();
            }
        });
    }
}
