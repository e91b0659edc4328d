package io.concordat.config;

import static io.concordat.config.TestDefinitions.clientKey;
import static io.concordat.config.TestDefinitions.keyText;
import static io.concordat.config.TestDefinitions.replicaKey;
import static io.concordat.config.TestDefinitions.validText;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.crypto.KeyEncoding;
import io.concordat.protocol.ProtocolConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterDefinitionLoaderTest {
    private static final String CLUSTER = "concordat.cluster";
    private static final String PROTOCOL = CLUSTER + ".protocol";

    @Test
    void readsAValidDefinition() {
        ClusterDefinition definition = ClusterDefinitionLoader.parse(validText());

        assertEquals("test-cluster", definition.name());
        assertEquals(1, definition.faultsTolerated());
        assertEquals(4, definition.size());
        ReplicaDefinition replica = definition.replicas().get(2);
        assertEquals(new ReplicaDefinition(2, "127.0.0.1", 25522, 25622, 25722, replicaKey(2)), replica);
        assertEquals(100, definition.protocol().checkpointInterval());
        assertEquals(200, definition.protocol().watermarkWindow());
        assertEquals(Set.of(), definition.allowedClientKeys());
    }

    @Test
    void leftOutProtocolSettingsTakeTheReferenceDefaults() {
        ProtocolSettings protocol = ClusterDefinitionLoader.parse(validText()).protocol();

        assertEquals(512, protocol.batchMaxRequests());
        assertEquals(1 << 20, protocol.batchMaxBytes());
        assertEquals(Duration.ofMillis(10), protocol.batchDelay());
        assertEquals(64 * 1024, protocol.requestMaxBytes());
        assertEquals(100_000, protocol.pendingRequestsMax());
        assertEquals(Duration.ofMillis(10), protocol.tickInterval());
        assertEquals(Duration.ofSeconds(2), protocol.viewChangeTimeout());
        assertEquals(Duration.ofMillis(500), protocol.statusInterval());
        assertEquals(protocol.batchMaxRequests(), ProtocolSettings.defaults().batchMaxRequests());
    }

    @Test
    void readsUnitsForDurationsAndSizes() {
        String text = validText().replace("    watermark-window = 200\n", "    watermark-window = 200\n"
                + "    batch-delay = 1500us\n    batch-max-bytes = 2MiB\n    request-max-bytes = 65536\n"
                + "    view-change-timeout = 1 minute\n    tick-interval = 20ms\n");

        ProtocolSettings protocol = ClusterDefinitionLoader.parse(text).protocol();

        assertEquals(Duration.ofNanos(1_500_000), protocol.batchDelay());
        assertEquals(2 << 20, protocol.batchMaxBytes());
        assertEquals(65536, protocol.requestMaxBytes());
        assertEquals(Duration.ofMinutes(1), protocol.viewChangeTimeout());
        assertEquals(3000, protocol.viewChangeTimeoutTicks());
    }

    @Test
    void replicasListedOutOfOrderAreHeldInIdOrder() {
        String text = validText().replace("{ id = 0,", "{ id = 9,").replace("{ id = 3,", "{ id = 0,")
                .replace("{ id = 9,", "{ id = 3,");

        ClusterDefinition definition = ClusterDefinitionLoader.parse(text);

        for (int id = 0; id < 4; id++) {
            assertEquals(id, definition.replicas().get(id).id());
        }
        assertEquals(replicaKey(3), definition.replicas().get(0).publicKey());
        assertEquals(25520, definition.replicas().get(3).arteryPort());
    }

    @Test
    void readsAllowedClientKeys() {
        String text = validText().replace("  protocol {", "  allowed-client-keys = [\"" + keyText(clientKey(0))
                + "\", \"" + keyText(clientKey(1)) + "\"]\n  protocol {");

        ClusterDefinition definition = ClusterDefinitionLoader.parse(text);

        assertEquals(Set.of(clientKey(0), clientKey(1)), definition.allowedClientKeys());
        assertTrue(definition.allowsClient(clientKey(1)));
        assertTrue(!definition.allowsClient(clientKey(2)));
    }

    @Test
    void unquotedIpAddressesAndHostNamesAreStrings() {
        String text = validText().replace("host = \"127.0.0.1\", artery-port = 25521", "host = 127.0.0.1, artery-port = 25521")
                .replace("host = \"127.0.0.1\", artery-port = 25522", "host = replica-2.example.net, artery-port = 25522");

        ClusterDefinition definition = ClusterDefinitionLoader.parse(text);

        assertEquals("127.0.0.1", definition.replicas().get(1).host());
        assertEquals("replica-2.example.net", definition.replicas().get(2).host());
    }

    @Test
    void loadsFromAFile(@TempDir Path directory) throws IOException {
        Path file = directory.resolve("cluster.conf");
        Files.writeString(file, validText());

        assertEquals(ClusterDefinitionLoader.parse(validText()), ClusterDefinitionLoader.load(file));
    }

    @Test
    void aMissingFileIsAProblemNotACrash(@TempDir Path directory) {
        Path file = directory.resolve("absent.conf");

        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> ClusterDefinitionLoader.load(file));

        assertEquals(List.of(new Problem(file.toString(), "no such file")), error.problems());
    }

    // ---- one test per mistake: each names the key and is the only problem reported ----

    @Test
    void portOutOfRange() {
        assertOnlyProblem(replacing("client-port = 25622", "client-port = 70000"),
                CLUSTER + ".replicas[2].client-port", "port 70000 is out of range 1..65535");
    }

    @Test
    void portZero() {
        assertOnlyProblem(replacing("admin-port = 25720", "admin-port = 0"),
                CLUSTER + ".replicas[0].admin-port", "port 0 is out of range 1..65535");
    }

    @Test
    void missingName() {
        assertOnlyProblem(replacing("  name = \"test-cluster\"\n", ""), CLUSTER + ".name", "missing");
    }

    @Test
    void missingFaultsTolerated() {
        assertOnlyProblem(replacing("  faults-tolerated = 1\n", ""), CLUSTER + ".faults-tolerated", "missing");
    }

    @Test
    void missingReplicaPublicKey() {
        assertOnlyProblem(replacing(", public-key = \"" + keyText(replicaKey(1)) + "\"", ""),
                CLUSTER + ".replicas[1].public-key", "missing");
    }

    @Test
    void missingReplicaHost() {
        assertOnlyProblem(replacing("host = \"127.0.0.1\", artery-port = 25523", "artery-port = 25523"),
                CLUSTER + ".replicas[3].host", "missing");
    }

    @Test
    void missingReplicas() {
        String text = validText();
        String withoutReplicas = text.substring(0, text.indexOf("  replicas = [")) + text.substring(text.indexOf("  protocol {"));
        assertOnlyProblem(withoutReplicas, CLUSTER + ".replicas", "missing");
    }

    @Test
    void missingClusterBlock() {
        assertOnlyProblem("concordat { }\n", CLUSTER, "missing");
    }

    @Test
    void emptyFile() {
        assertOnlyProblem("", "concordat", "missing");
    }

    @Test
    void wrongTypeForFaultsTolerated() {
        assertOnlyProblem(replacing("faults-tolerated = 1", "faults-tolerated = \"one\""),
                CLUSTER + ".faults-tolerated", "expected a whole number, got the string \"one\"");
    }

    @Test
    void fractionalNumber() {
        assertOnlyProblem(replacing("checkpoint-interval = 100", "checkpoint-interval = 100.5"),
                PROTOCOL + ".checkpoint-interval", "expected a whole number, got the number 100.5");
    }

    @Test
    void wrongTypeForPort() {
        assertOnlyProblem(replacing("artery-port = 25521", "artery-port = \"25521x\""),
                CLUSTER + ".replicas[1].artery-port", "expected a whole number");
    }

    @Test
    void wrongTypeForName() {
        assertOnlyProblem(replacing("name = \"test-cluster\"", "name = [1, 2]"),
                CLUSTER + ".name", "expected a string, got a list");
    }

    @Test
    void nullValue() {
        assertOnlyProblem(replacing("name = \"test-cluster\"", "name = null"),
                CLUSTER + ".name", "expected a string, got null");
    }

    @Test
    void replicasNotAList() {
        String text = validText();
        String broken = text.substring(0, text.indexOf("  replicas = [")) + "  replicas = 4\n"
                + text.substring(text.indexOf("  protocol {"));
        assertOnlyProblem(broken, CLUSTER + ".replicas", "expected a list [ ... ], got the number 4");
    }

    @Test
    void replicaEntryNotAnObject() {
        String text = validText();
        int start = text.indexOf("    { id = 3,");
        String broken = text.substring(0, start) + "    \"replica three\"\n" + text.substring(text.indexOf("  ]"));
        assertOnlyProblem(broken, CLUSTER + ".replicas[3]", "expected an object { ... }, got the string");
    }

    @Test
    void protocolNotAnObject() {
        String text = validText();
        String broken = text.substring(0, text.indexOf("  protocol {")) + "  protocol = fast\n}\n";
        assertOnlyProblem(broken, PROTOCOL, "expected an object { ... }, got the string \"fast\"");
    }

    @Test
    void durationWithoutUnit() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    batch-delay = 10"),
                PROTOCOL + ".batch-delay", "a duration needs a unit");
    }

    @Test
    void durationWithUnknownUnit() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    view-change-timeout = 3 parsecs"),
                PROTOCOL + ".view-change-timeout", "is not a duration");
    }

    @Test
    void sizeThatIsNotASize() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    batch-max-bytes = lots"),
                PROTOCOL + ".batch-max-bytes", "is not a size");
    }

    @Test
    void sizeTooLargeForTheCore() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    batch-max-bytes = 4GiB"),
                PROTOCOL + ".batch-max-bytes", "batch-max-bytes 4294967296 is out of range 1..2147483647");
    }

    @Test
    void misspelledProtocolKey() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    bach-delay = 1ms"),
                PROTOCOL + ".bach-delay", "unknown key; did you mean batch-delay?");
    }

    /** The misspelt key also leaves checkpoint-interval at its default, which the window no longer fits. */
    @Test
    void misspelledProtocolKeyAndItsConsequence() {
        List<Problem> problems = problemsOf(replacing("checkpoint-interval = 100", "chekpoint-interval = 100"));

        assertEquals(List.of(
                new Problem(PROTOCOL + ".chekpoint-interval", "unknown key; did you mean checkpoint-interval?"),
                new Problem(PROTOCOL + ".watermark-window", "watermark-window 200 must be a multiple of"
                        + " checkpoint-interval (128) and at least twice it, e.g. 256")), problems);
    }

    @Test
    void misspelledReplicaKey() {
        assertOnlyProblem(replacing("artery-port = 25520", "artery-port = 25520, clientport = 1"),
                CLUSTER + ".replicas[0].clientport", "did you mean client-port?");
    }

    @Test
    void unknownClusterKey() {
        assertOnlyProblem(replacing("  faults-tolerated = 1\n", "  faults-tolerated = 1\n  colour = blue\n"),
                CLUSTER + ".colour", "unknown key; the keys allowed here are name, faults-tolerated");
    }

    @Test
    void unknownTopLevelKey() {
        List<Problem> problems = problemsOf(validText().replace("concordat.cluster {", "concordat.clustr {"));

        assertEquals(List.of(new Problem("concordat.clustr", "unknown key; did you mean cluster?"),
                new Problem(CLUSTER, "missing (required)")), problems);
    }

    @Test
    void faultsToleratedDoesNotMatchReplicaCount() {
        assertOnlyProblem(replacing("faults-tolerated = 1", "faults-tolerated = 2"),
                CLUSTER + ".replicas", "f = 2 needs exactly n = 3f+1 = 7 replicas, found 4");
    }

    @Test
    void tooManyReplicas() {
        String extra = "    { id = 4, host = \"127.0.0.1\", artery-port = 25524, client-port = 25624, admin-port = 25724,"
                + " public-key = \"" + keyText(replicaKey(4)) + "\" }\n  ]";
        assertOnlyProblem(replacing("  ]", extra), CLUSTER + ".replicas",
                "f = 1 needs exactly n = 3f+1 = 4 replicas, found 5");
    }

    @Test
    void faultsToleratedZero() {
        List<Problem> problems = problemsOf(replacing("faults-tolerated = 1", "faults-tolerated = 0"));

        assertEquals(List.of(new Problem(CLUSTER + ".faults-tolerated", "f = 0 is out of range 1..1000")),
                problems);
    }

    @Test
    void duplicateReplicaId() {
        assertOnlyProblem(replacing("{ id = 2,", "{ id = 1,"), CLUSTER + ".replicas[2].id",
                "id 1 is already used by concordat.cluster.replicas[1]");
    }

    @Test
    void replicaIdNotContiguous() {
        assertOnlyProblem(replacing("{ id = 3,", "{ id = 4,"), CLUSTER + ".replicas[3].id",
                "id 4 is out of range 0..3");
    }

    @Test
    void negativeReplicaId() {
        assertOnlyProblem(replacing("{ id = 3,", "{ id = -3,"), CLUSTER + ".replicas[3].id", "id -3 is negative");
    }

    @Test
    void duplicatePortOnTheSameHost() {
        assertOnlyProblem(replacing("client-port = 25623", "client-port = 25621"), CLUSTER + ".replicas[3].client-port",
                "127.0.0.1:25621 is already used by concordat.cluster.replicas[1].client-port");
    }

    @Test
    void duplicatePortAcrossRolesOfOneReplica() {
        assertOnlyProblem(replacing("admin-port = 25720", "admin-port = 25520"), CLUSTER + ".replicas[0].admin-port",
                "127.0.0.1:25520 is already used by concordat.cluster.replicas[0].artery-port");
    }

    @Test
    void samePortOnDifferentHostsIsFine() {
        String text = validText().replace("host = \"127.0.0.1\", artery-port = 25521, client-port = 25621, admin-port = 25721",
                "host = \"10.0.0.2\", artery-port = 25520, client-port = 25620, admin-port = 25720");

        assertEquals(25520, ClusterDefinitionLoader.parse(text).replicas().get(1).arteryPort());
    }

    @Test
    void duplicatePublicKey() {
        assertOnlyProblem(replacing(keyText(replicaKey(3)), keyText(replicaKey(0))), CLUSTER + ".replicas[3].public-key",
                "the same public key as concordat.cluster.replicas[0].public-key");
    }

    @Test
    void watermarkWindowNotAMultipleOfTheCheckpointInterval() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 250"), PROTOCOL + ".watermark-window",
                "watermark-window 250 must be a multiple of checkpoint-interval (100) and at least twice it");
    }

    @Test
    void watermarkWindowLessThanTwiceTheCheckpointInterval() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 100"), PROTOCOL + ".watermark-window",
                "at least twice it");
    }

    @Test
    void requestLargerThanABatch() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    request-max-bytes = 2MiB"),
                PROTOCOL + ".request-max-bytes", "must be less than batch-max-bytes (1048576)");
    }

    @Test
    void tickIntervalTooShort() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    tick-interval = 10us"),
                PROTOCOL + ".tick-interval", "tick-interval 10us is out of range 1ms..10s");
    }

    @Test
    void timeoutShorterThanATick() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    status-interval = 5ms"),
                PROTOCOL + ".status-interval", "status-interval 5ms is out of range 10ms..86400s");
    }

    @Test
    void negativeBatchDelay() {
        assertOnlyProblem(replacing("watermark-window = 200", "watermark-window = 200\n    batch-delay = -1ms"),
                PROTOCOL + ".batch-delay", "batch-delay -1ms is out of range 0s..86400s");
    }

    @Test
    void zeroCheckpointInterval() {
        assertOnlyProblem(replacing("checkpoint-interval = 100", "checkpoint-interval = 0"),
                PROTOCOL + ".checkpoint-interval", "checkpoint-interval 0 is out of range 1..1000000");
    }

    @Test
    void publicKeyWithoutPrefix() {
        assertOnlyProblem(replacing(keyText(replicaKey(1)), replicaKey(1).encoded().toHex()),
                CLUSTER + ".replicas[1].public-key", "must start with 'ed25519-public:'");
    }

    @Test
    void publicKeyTooShort() {
        String key = keyText(replicaKey(1));
        assertOnlyProblem(replacing(key, key.substring(0, key.length() - 2)), CLUSTER + ".replicas[1].public-key",
                "32 bytes (64 hex digits)");
    }

    @Test
    void publicKeyNotHex() {
        String key = keyText(replicaKey(1));
        assertOnlyProblem(replacing(key, key.substring(0, key.length() - 1) + "g"), CLUSTER + ".replicas[1].public-key",
                "not a hex digit");
    }

    @Test
    void privateKeyPastedAsPublicKey() {
        String privateKey = KeyEncoding.encodePrivateKey(TestDefinitions.keyPair(1001));
        assertOnlyProblem(replacing(keyText(replicaKey(1)), privateKey), CLUSTER + ".replicas[1].public-key",
                "this is a PRIVATE key");
    }

    @Test
    void placeholderKey() {
        assertOnlyProblem(replacing(keyText(replicaKey(2)), "ed25519-public:PLACEHOLDER-replica-2"),
                CLUSTER + ".replicas[2].public-key", "is still a placeholder");
    }

    @Test
    void badAllowedClientKey() {
        assertOnlyProblem(replacing("  protocol {", "  allowed-client-keys = [\"" + keyText(clientKey(0))
                        + "\", \"ed25519-public:00\"]\n  protocol {"),
                CLUSTER + ".allowed-client-keys[1]", "32 bytes (64 hex digits)");
    }

    @Test
    void duplicateAllowedClientKey() {
        assertOnlyProblem(replacing("  protocol {", "  allowed-client-keys = [\"" + keyText(clientKey(0))
                        + "\", \"" + keyText(clientKey(0)) + "\"]\n  protocol {"),
                CLUSTER + ".allowed-client-keys[1]", "the same key as concordat.cluster.allowed-client-keys[0]");
    }

    @Test
    void replicaKeyListedAsClientKey() {
        assertOnlyProblem(replacing("  protocol {", "  allowed-client-keys = [\"" + keyText(replicaKey(2))
                        + "\"]\n  protocol {"),
                CLUSTER + ".allowed-client-keys[0]", "this is the public key of concordat.cluster.replicas[2]");
    }

    @Test
    void clusterNameUnusableAsActorSystemName() {
        assertOnlyProblem(replacing("name = \"test-cluster\"", "name = \"test cluster!\""), CLUSTER + ".name",
                "must be letters, digits, '-' and '_'");
    }

    @Test
    void hostWithSpaces() {
        assertOnlyProblem(replacing("host = \"127.0.0.1\", artery-port = 25522", "host = \"my host\", artery-port = 25522"),
                CLUSTER + ".replicas[2].host", "is not a host name or IP address");
    }

    @Test
    void syntaxErrorNamesTheLine() {
        List<Problem> problems = problemsOf(validText().replace("  faults-tolerated = 1\n", "  faults-tolerated = {\n"));

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).path().startsWith("cluster definition: "), problems::toString);
    }

    @Test
    void substitutionsDoNotReadTheEnvironment() {
        List<Problem> problems = problemsOf(replacing("name = \"test-cluster\"", "name = ${PATH}"));

        assertEquals(1, problems.size());
        assertTrue(problems.get(0).message().contains("PATH"), problems::toString);
    }

    @Test
    void substitutionsWithinTheFileWork() {
        String text = replacing("watermark-window = 200", "watermark-window = 200\n"
                + "    batch-max-requests = ${concordat.cluster.protocol.checkpoint-interval}");

        assertEquals(100, ClusterDefinitionLoader.parse(text).protocol().batchMaxRequests());
    }

    @Test
    void unknownKeyOutsideTheCluster() {
        assertOnlyProblem("base-port = 25520\n" + validText(), "base-port",
                "unknown key; the keys allowed here are concordat");
    }

    @Test
    void everyMistakeIsReportedAtOnce() {
        String text = validText()
                .replace("faults-tolerated = 1", "faults-tolerated = \"x\"")
                .replace("client-port = 25622", "client-port = 70000")
                .replace("checkpoint-interval = 100", "chekpoint-interval = 100")
                .replace("{ id = 3,", "{ id = 1,")
                .replace(keyText(replicaKey(0)), "ed25519-public:zz");

        List<String> paths = problemsOf(text).stream().map(Problem::path).toList();

        assertEquals(List.of(CLUSTER + ".faults-tolerated", CLUSTER + ".replicas[0].public-key",
                PROTOCOL + ".chekpoint-interval", CLUSTER + ".replicas[2].client-port", CLUSTER + ".replicas[3].id",
                PROTOCOL + ".watermark-window"), paths);
    }

    @Test
    void theExceptionMessageListsEveryProblem() {
        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class, () ->
                ClusterDefinitionLoader.parse(replacing("client-port = 25622", "client-port = 70000")
                        .replace("admin-port = 25720", "admin-port = 0")));

        assertTrue(error.getMessage().startsWith("the cluster definition has 2 problems:"), error::getMessage);
        assertTrue(error.getMessage().contains(
                "concordat.cluster.replicas[2].client-port: port 70000 is out of range 1..65535"), error::getMessage);
        assertTrue(error.getMessage().contains("concordat.cluster.replicas[0].admin-port: port 0"), error::getMessage);
    }

    @Test
    void convertsToTheCoresTypes() {
        ClusterDefinition definition = ClusterDefinitionLoader.parse(validText());

        assertEquals(List.of(replicaKey(0), replicaKey(1), replicaKey(2), replicaKey(3)),
                definition.toMembership().replicaKeys());
        ProtocolConfiguration configuration = definition.toProtocolConfiguration();
        assertEquals(100, configuration.checkpointInterval());
        assertEquals(1, configuration.batchDelayTicks());
        assertEquals(50, configuration.statusIntervalTicks());
    }

    private static String replacing(String target, String replacement) {
        String text = validText();
        int first = text.indexOf(target);
        assertTrue(first >= 0 && first == text.lastIndexOf(target), () -> "the fixture must hold \"" + target
                + "\" exactly once");
        return text.replace(target, replacement);
    }

    private static List<Problem> problemsOf(String text) {
        return assertThrows(ClusterDefinitionException.class, () -> ClusterDefinitionLoader.parse(text)).problems();
    }

    private static void assertOnlyProblem(String text, String path, String messageFragment) {
        List<Problem> problems = problemsOf(text);
        assertEquals(1, problems.size(), () -> "expected exactly one problem, got " + problems);
        Problem problem = problems.get(0);
        assertEquals(path, problem.path(), problem::toString);
        assertTrue(problem.message().contains(messageFragment),
                () -> "\"" + problem.message() + "\" does not contain \"" + messageFragment + "\"");
    }
}
