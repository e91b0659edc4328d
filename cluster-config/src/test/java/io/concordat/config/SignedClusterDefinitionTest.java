package io.concordat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SignedClusterDefinitionTest {
    private static final Ed25519KeyPair ADMINISTRATOR = TestDefinitions.keyPair(7);
    private static final Ed25519KeyPair OTHER_ADMINISTRATOR = TestDefinitions.keyPair(8);
    private static final SignatureVerifier VERIFIER = new Ed25519Verifier();

    @Test
    void aSignedDefinitionVerifiesUnderTheTrustedAdministratorKey() {
        ClusterDefinition definition = TestDefinitions.definition(4);
        SignedClusterDefinition signed = SignedClusterDefinition.sign(definition, ADMINISTRATOR.signer());

        assertEquals(definition, signed.verify(List.of(OTHER_ADMINISTRATOR.publicKey(), ADMINISTRATOR.publicKey()),
                VERIFIER));
        assertEquals(KeyFingerprint.of(ADMINISTRATOR.publicKey()), signed.administratorFingerprint());
        assertEquals(CanonicalForm.digest(definition), signed.signedDigest());
    }

    static Stream<Arguments> singleFieldChanges() {
        List<Arguments> changes = new ArrayList<>();
        changes.add(change("name", definition -> with(definition, "renamed", definition.replicas(),
                definition.protocol(), definition.allowedClientKeys())));
        changes.add(change("faults tolerated and replicas", definition -> TestDefinitions.definition(7)));
        for (int id = 0; id < 4; id++) {
            int replicaId = id;
            changes.add(change("replica " + id + " host", definition -> withReplica(definition, replicaId,
                    replica -> new ReplicaDefinition(replica.id(), "10.9.9.9", replica.arteryPort(),
                            replica.clientPort(), replica.adminPort(), replica.publicKey()))));
            changes.add(change("replica " + id + " artery port", definition -> withReplica(definition, replicaId,
                    replica -> new ReplicaDefinition(replica.id(), replica.host(), 40000, replica.clientPort(),
                            replica.adminPort(), replica.publicKey()))));
            changes.add(change("replica " + id + " client port", definition -> withReplica(definition, replicaId,
                    replica -> new ReplicaDefinition(replica.id(), replica.host(), replica.arteryPort(), 40001,
                            replica.adminPort(), replica.publicKey()))));
            changes.add(change("replica " + id + " admin port", definition -> withReplica(definition, replicaId,
                    replica -> new ReplicaDefinition(replica.id(), replica.host(), replica.arteryPort(),
                            replica.clientPort(), 40002, replica.publicKey()))));
            changes.add(change("replica " + id + " public key", definition -> withReplica(definition, replicaId,
                    replica -> new ReplicaDefinition(replica.id(), replica.host(), replica.arteryPort(),
                            replica.clientPort(), replica.adminPort(), TestDefinitions.keyPair(99).publicKey()))));
        }
        changes.add(change("two replicas swap keys", SignedClusterDefinitionTest::swapKeysOfReplicasZeroAndOne));
        ProtocolSettings p = TestDefinitions.protocol();
        changes.add(protocolChange("checkpoint interval", new ProtocolSettings(128, p.watermarkWindow(),
                p.batchMaxRequests(), p.batchMaxBytes(), p.batchDelay(), p.requestMaxBytes(), p.pendingRequestsMax(),
                p.tickInterval(), p.viewChangeTimeout(), p.statusInterval())));
        changes.add(protocolChange("watermark window", new ProtocolSettings(p.checkpointInterval(), 512,
                p.batchMaxRequests(), p.batchMaxBytes(), p.batchDelay(), p.requestMaxBytes(), p.pendingRequestsMax(),
                p.tickInterval(), p.viewChangeTimeout(), p.statusInterval())));
        changes.add(protocolChange("batch max requests", new ProtocolSettings(p.checkpointInterval(),
                p.watermarkWindow(), 101, p.batchMaxBytes(), p.batchDelay(), p.requestMaxBytes(),
                p.pendingRequestsMax(), p.tickInterval(), p.viewChangeTimeout(), p.statusInterval())));
        changes.add(protocolChange("batch max bytes", new ProtocolSettings(p.checkpointInterval(),
                p.watermarkWindow(), p.batchMaxRequests(), p.batchMaxBytes() + 1, p.batchDelay(),
                p.requestMaxBytes(), p.pendingRequestsMax(), p.tickInterval(), p.viewChangeTimeout(),
                p.statusInterval())));
        changes.add(protocolChange("batch delay", new ProtocolSettings(p.checkpointInterval(), p.watermarkWindow(),
                p.batchMaxRequests(), p.batchMaxBytes(), p.batchDelay().plusNanos(1), p.requestMaxBytes(),
                p.pendingRequestsMax(), p.tickInterval(), p.viewChangeTimeout(), p.statusInterval())));
        changes.add(protocolChange("request max bytes", new ProtocolSettings(p.checkpointInterval(),
                p.watermarkWindow(), p.batchMaxRequests(), p.batchMaxBytes(), p.batchDelay(),
                p.requestMaxBytes() - 1, p.pendingRequestsMax(), p.tickInterval(), p.viewChangeTimeout(),
                p.statusInterval())));
        changes.add(protocolChange("pending requests max", new ProtocolSettings(p.checkpointInterval(),
                p.watermarkWindow(), p.batchMaxRequests(), p.batchMaxBytes(), p.batchDelay(), p.requestMaxBytes(),
                p.pendingRequestsMax() + 1, p.tickInterval(), p.viewChangeTimeout(), p.statusInterval())));
        changes.add(protocolChange("tick interval", new ProtocolSettings(p.checkpointInterval(),
                p.watermarkWindow(), p.batchMaxRequests(), p.batchMaxBytes(), p.batchDelay(), p.requestMaxBytes(),
                p.pendingRequestsMax(), Duration.ofMillis(5), p.viewChangeTimeout(), p.statusInterval())));
        changes.add(protocolChange("view change timeout", new ProtocolSettings(p.checkpointInterval(),
                p.watermarkWindow(), p.batchMaxRequests(), p.batchMaxBytes(), p.batchDelay(), p.requestMaxBytes(),
                p.pendingRequestsMax(), p.tickInterval(), Duration.ofSeconds(30), p.statusInterval())));
        changes.add(protocolChange("status interval", new ProtocolSettings(p.checkpointInterval(),
                p.watermarkWindow(), p.batchMaxRequests(), p.batchMaxBytes(), p.batchDelay(), p.requestMaxBytes(),
                p.pendingRequestsMax(), p.tickInterval(), p.viewChangeTimeout(), Duration.ofMillis(260))));
        changes.add(change("a client key added", definition -> withClients(definition,
                plus(definition.allowedClientKeys(), TestDefinitions.clientKey(5)))));
        changes.add(change("a client key removed", definition -> withClients(definition,
                Set.of(TestDefinitions.clientKey(0)))));
        changes.add(change("every client allowed", definition -> withClients(definition, Set.of())));
        return changes.stream();
    }

    /** Signed as {@code definition(4)}, then one field changed: verification must fail, saying it changed. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("singleFieldChanges")
    void changingAnySingleFieldFailsVerification(String field, UnaryOperator<ClusterDefinition> change) {
        ClusterDefinition original = TestDefinitions.definition(4);
        SignedClusterDefinition signed = SignedClusterDefinition.sign(original, ADMINISTRATOR.signer());
        ClusterDefinition changed = change.apply(original);
        assertNotEquals(original, changed, field);

        SignedClusterDefinition tampered = new SignedClusterDefinition(changed, signed.signedDigest(),
                signed.administratorFingerprint(), signed.signature());
        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> tampered.verify(List.of(ADMINISTRATOR.publicKey()), VERIFIER));

        assertEquals(SignedClusterDefinition.DIGEST_KEY, error.problems().get(0).path());
        assertTrue(error.getMessage().contains("the definition was changed after it was signed"), error::getMessage);
    }

    /** A tamperer who also rewrites the recorded digest still cannot produce the administrator's signature. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("singleFieldChanges")
    void changingAFieldAndTheRecordedDigestFailsOnTheSignature(String field, UnaryOperator<ClusterDefinition> change) {
        SignedClusterDefinition signed = SignedClusterDefinition.sign(TestDefinitions.definition(4),
                ADMINISTRATOR.signer());
        ClusterDefinition changed = change.apply(signed.definition());

        SignedClusterDefinition tampered = new SignedClusterDefinition(changed, CanonicalForm.digest(changed),
                signed.administratorFingerprint(), signed.signature());
        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> tampered.verify(List.of(ADMINISTRATOR.publicKey()), VERIFIER));

        assertEquals(SignedClusterDefinition.SIGNATURE_KEY, error.problems().get(0).path());
        assertTrue(error.getMessage().contains("the signature does not verify"), error::getMessage);
    }

    @Test
    void aFlippedSignatureBitFailsVerification() {
        SignedClusterDefinition signed = SignedClusterDefinition.sign(TestDefinitions.definition(4),
                ADMINISTRATOR.signer());
        byte[] signature = signed.signature().toByteArray();
        signature[10] ^= 1;

        SignedClusterDefinition tampered = new SignedClusterDefinition(signed.definition(), signed.signedDigest(),
                signed.administratorFingerprint(), Bytes.wrap(signature));

        assertProblem(tampered, List.of(ADMINISTRATOR.publicKey()), SignedClusterDefinition.SIGNATURE_KEY,
                "the signature does not verify");
    }

    @Test
    void aDefinitionSignedByAnUntrustedKeyIsRefused() {
        SignedClusterDefinition signed = SignedClusterDefinition.sign(TestDefinitions.definition(4),
                OTHER_ADMINISTRATOR.signer());

        assertProblem(signed, List.of(ADMINISTRATOR.publicKey()), SignedClusterDefinition.FINGERPRINT_KEY,
                "which is not a trusted administrator key (trusted: " + KeyFingerprint.of(ADMINISTRATOR.publicKey()));
    }

    @Test
    void anUntrustedSignerClaimingATrustedFingerprintIsRefused() {
        SignedClusterDefinition forged = SignedClusterDefinition.sign(TestDefinitions.definition(4),
                OTHER_ADMINISTRATOR.signer());
        SignedClusterDefinition claimed = new SignedClusterDefinition(forged.definition(), forged.signedDigest(),
                KeyFingerprint.of(ADMINISTRATOR.publicKey()), forged.signature());

        assertProblem(claimed, List.of(ADMINISTRATOR.publicKey()), SignedClusterDefinition.SIGNATURE_KEY,
                "the signature does not verify");
    }

    @Test
    void noTrustedKeysMeansNothingVerifies() {
        SignedClusterDefinition signed = SignedClusterDefinition.sign(TestDefinitions.definition(4),
                ADMINISTRATOR.signer());

        assertProblem(signed, List.of(), SignedClusterDefinition.FINGERPRINT_KEY, "no trusted administrator key");
    }

    @Test
    void fingerprintsAreTheSha256OfTheKeyAndParseBack() {
        KeyFingerprint fingerprint = KeyFingerprint.of(ADMINISTRATOR.publicKey());

        assertTrue(fingerprint.toString().matches("sha256:[0-9a-f]{64}"), fingerprint::toString);
        assertEquals(fingerprint, KeyFingerprint.parse(fingerprint.toString()));
        assertTrue(fingerprint.matches(ADMINISTRATOR.publicKey()));
        assertTrue(!fingerprint.matches(OTHER_ADMINISTRATOR.publicKey()));
    }

    private static void assertProblem(SignedClusterDefinition signed, List<PublicKey> trusted, String path,
            String fragment) {
        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> signed.verify(trusted, VERIFIER));
        assertEquals(1, error.problems().size());
        assertEquals(path, error.problems().get(0).path());
        assertTrue(error.problems().get(0).message().contains(fragment), error::getMessage);
    }

    private static Arguments change(String field, UnaryOperator<ClusterDefinition> change) {
        return Arguments.of(field, change);
    }

    private static Arguments protocolChange(String field, ProtocolSettings protocol) {
        return change(field, definition -> with(definition, definition.name(), definition.replicas(), protocol,
                definition.allowedClientKeys()));
    }

    private static ClusterDefinition with(ClusterDefinition definition, String name, List<ReplicaDefinition> replicas,
            ProtocolSettings protocol, Set<PublicKey> clientKeys) {
        return new ClusterDefinition(name, definition.faultsTolerated(), replicas, protocol, clientKeys);
    }

    private static ClusterDefinition withClients(ClusterDefinition definition, Set<PublicKey> clientKeys) {
        return with(definition, definition.name(), definition.replicas(), definition.protocol(), clientKeys);
    }

    private static ClusterDefinition withReplica(ClusterDefinition definition, int id,
            UnaryOperator<ReplicaDefinition> change) {
        List<ReplicaDefinition> replicas = new ArrayList<>(definition.replicas());
        replicas.set(id, change.apply(replicas.get(id)));
        return with(definition, definition.name(), replicas, definition.protocol(), definition.allowedClientKeys());
    }

    private static ClusterDefinition swapKeysOfReplicasZeroAndOne(ClusterDefinition definition) {
        PublicKey zero = definition.replicas().get(0).publicKey();
        PublicKey one = definition.replicas().get(1).publicKey();
        ClusterDefinition swapped = withReplica(definition, 0, replica -> new ReplicaDefinition(0, replica.host(),
                replica.arteryPort(), replica.clientPort(), replica.adminPort(), TestDefinitions.keyPair(98).publicKey()));
        swapped = withReplica(swapped, 1, replica -> new ReplicaDefinition(1, replica.host(), replica.arteryPort(),
                replica.clientPort(), replica.adminPort(), zero));
        return withReplica(swapped, 0, replica -> new ReplicaDefinition(0, replica.host(), replica.arteryPort(),
                replica.clientPort(), replica.adminPort(), one));
    }

    private static Set<PublicKey> plus(Set<PublicKey> keys, PublicKey key) {
        Set<PublicKey> result = new HashSet<>(keys);
        result.add(key);
        return result;
    }
}
