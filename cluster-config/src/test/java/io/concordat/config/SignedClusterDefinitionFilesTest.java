package io.concordat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedClusterDefinitionFilesTest {
    private static final Ed25519KeyPair ADMINISTRATOR = TestDefinitions.keyPair(7);
    private static final List<PublicKey> TRUSTED = List.of(ADMINISTRATOR.publicKey());

    @TempDir
    Path directory;
    private Path definitionFile;
    private Path signatureFile;
    private ClusterDefinition definition;

    @BeforeEach
    void writeASignedDefinition() {
        definitionFile = directory.resolve("cluster.conf");
        signatureFile = directory.resolve("cluster.conf.sig");
        definition = TestDefinitions.definition(4);
        SignedClusterDefinitionFiles.write(definitionFile,
                SignedClusterDefinition.sign(definition, ADMINISTRATOR.signer()));
    }

    @Test
    void writesTheDefinitionAndADetachedSignatureThatVerify() {
        assertEquals(signatureFile, SignedClusterDefinitionFiles.signatureFileOf(definitionFile));
        assertTrue(Files.isRegularFile(signatureFile));

        assertEquals(definition, SignedClusterDefinitionFiles.readVerified(definitionFile, TRUSTED,
                new Ed25519Verifier()));
    }

    @Test
    void reformattingTheDefinitionKeepsTheSignatureValid() throws IOException {
        String text = Files.readString(definitionFile);
        String reformatted = "# reviewed by the operations team\n" + text.replace("  ", "\t")
                .replace("batch-delay = 5ms", "batch-delay = 5000us # a comment");
        Files.writeString(definitionFile, reformatted);

        assertEquals(definition, SignedClusterDefinitionFiles.readVerified(definitionFile, TRUSTED,
                new Ed25519Verifier()));
    }

    @Test
    void editingAValueInTheFileFailsVerification() throws IOException {
        String text = Files.readString(definitionFile);
        Files.writeString(definitionFile, text.replace("client-port = 25622", "client-port = 25699"));

        assertOnlyProblem(SignedClusterDefinition.DIGEST_KEY, "the definition was changed after it was signed");
    }

    @Test
    void editingTheRecordedDigestTooFailsOnTheSignature() throws IOException {
        String text = Files.readString(definitionFile).replace("client-port = 25622", "client-port = 25699");
        Files.writeString(definitionFile, text);
        String digest = SignedClusterDefinition.digestText(CanonicalForm.digest(
                ClusterDefinitionLoader.load(definitionFile)));
        String signature = Files.readString(signatureFile);
        Files.writeString(signatureFile, signature.replaceAll("definition-digest = \"[^\"]*\"",
                "definition-digest = \"" + digest + "\""));

        assertOnlyProblem(SignedClusterDefinition.SIGNATURE_KEY, "the signature does not verify");
    }

    @Test
    void aMissingSignatureFileIsRefused() throws IOException {
        Files.delete(signatureFile);

        assertOnlyProblem(signatureFile.toString(), "no signature file");
    }

    @Test
    void aCorruptSignatureValueIsNamed() throws IOException {
        String signature = Files.readString(signatureFile);
        Files.writeString(signatureFile, signature.replace("ed25519-signature:", "ed25519-signature:zz"));

        assertOnlyProblem(signatureFile + ": signature", "not an Ed25519 signature");
    }

    @Test
    void anUnparsableSignatureFileIsNamed() throws IOException {
        Files.writeString(signatureFile, "{{{ not hocon");

        assertOnlyProblem(signatureFile.toString(), "cannot read the signature file");
    }

    @Test
    void unknownAndMissingSignatureKeysAreNamed() throws IOException {
        String signature = Files.readString(signatureFile);
        Files.writeString(signatureFile, signature.replace("administrator-fingerprint", "administrator-fingerprnt"));

        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> SignedClusterDefinitionFiles.read(definitionFile));

        assertEquals(List.of(
                new Problem(signatureFile + ": administrator-fingerprnt",
                        "unknown key; did you mean administrator-fingerprint?"),
                new Problem(signatureFile + ": administrator-fingerprint", "missing (required)")), error.problems());
    }

    @Test
    void anUnsupportedSignatureFormatIsNamed() throws IOException {
        String signature = Files.readString(signatureFile);
        Files.writeString(signatureFile, signature.replace("concordat-cluster-signature v1",
                "concordat-cluster-signature v9"));

        assertOnlyProblem(signatureFile + ": format", "unsupported format");
    }

    @Test
    void problemsInTheDefinitionAndTheSignatureAreReportedTogether() throws IOException {
        Files.writeString(definitionFile, Files.readString(definitionFile).replace("admin-port = 25720",
                "admin-port = 0"));
        Files.delete(signatureFile);

        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> SignedClusterDefinitionFiles.read(definitionFile));

        assertEquals(List.of("concordat.cluster.replicas[0].admin-port", signatureFile.toString()),
                error.problems().stream().map(Problem::path).toList());
    }

    private void assertOnlyProblem(String path, String fragment) {
        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> SignedClusterDefinitionFiles.readVerified(definitionFile, TRUSTED, new Ed25519Verifier()));
        assertEquals(1, error.problems().size(), error::getMessage);
        assertEquals(path, error.problems().get(0).path());
        assertTrue(error.problems().get(0).message().contains(fragment), error::getMessage);
    }
}
