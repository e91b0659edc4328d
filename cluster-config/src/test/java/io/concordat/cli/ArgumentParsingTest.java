package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class ArgumentParsingTest {

    private static <T> T parse(Class<T> type, String... args) {
        CommandLine.ParseResult parsed = ConcordatCli.commandLine().parseArgs(args);
        CommandLine.ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        return type.cast(leaf.commandSpec().userObject());
    }

    @Test
    void upHasTheDocumentedDefaults() {
        UpCommand up = parse(UpCommand.class, "up");

        assertEquals(4, up.replicas);
        assertEquals(Path.of("data"), up.dataDirectory);
        assertEquals(25520, up.basePort);
        assertEquals(180, up.readyTimeoutSeconds);
        assertEquals(List.of(), up.javaOptions);
    }

    @Test
    void upTakesEveryOption() {
        UpCommand up = parse(UpCommand.class, "up", "--replicas", "7", "--data-dir", "/tmp/x", "--base-port=40000",
                "--java-option=-Xmx256m", "--java-option", "-Dfoo=bar", "--stop-timeout", "5");

        assertEquals(7, up.replicas);
        assertEquals(Path.of("/tmp/x"), up.dataDirectory);
        assertEquals(40000, up.basePort);
        assertEquals(5, up.stopTimeoutSeconds);
        assertEquals(List.of("-Xmx256m", "-Dfoo=bar"), up.javaOptions);
    }

    @Test
    void nodeTakesConfigReplicaAndOptionalFiles() {
        NodeCommand node = parse(NodeCommand.class, "node", "--config", "c/cluster.conf", "--replica", "2",
                "--admin-key", "admin.pub");

        assertEquals(Path.of("c/cluster.conf"), node.config);
        assertEquals(2, node.replicaId);
        assertEquals(Optional.of(Path.of("admin.pub")), node.administratorKey);
        assertEquals(Optional.empty(), node.dataDirectory);
        assertEquals(Optional.empty(), node.replicaKey);
    }

    @Test
    void clientOperationsReadTheirArgumentsAndTheParentsOptions() {
        ClientCommand.Put put = parse(ClientCommand.Put.class, "client", "--cluster", "d/cluster.json", "put", "k",
                "some value");
        ClientCommand.CompareAndSet cas = parse(ClientCommand.CompareAndSet.class, "client", "cas", "k", "absent",
                "new");

        assertEquals("k", put.key);
        assertEquals("some value", put.value);
        assertEquals(Path.of("d/cluster.json"), put.client.clusterFile);
        assertEquals(Path.of("data/cluster.json"), cas.client.clusterFile);
        assertEquals(List.of("k", "absent", "new"), List.of(cas.key, cas.expected, cas.newValue));
    }

    @Test
    void clientOptionsMayAlsoFollowTheOperation() {
        ClientCommand.Get get = parse(ClientCommand.Get.class, "client", "get", "--cluster", "e/cluster.json",
                "--timeout", "5", "k");

        assertEquals("k", get.key);
        assertEquals(Path.of("e/cluster.json"), get.client.clusterFile);
        assertEquals(5, get.client.timeoutSeconds);
    }

    @Test
    void casSpellsAMissingExpectedValueAbsentUnlessLiteral() {
        assertEquals(Optional.empty(), ClientCommand.CompareAndSet.expectedValue("absent", false));
        assertEquals(Optional.of(io.concordat.common.Bytes.ofUtf8("absent")),
                ClientCommand.CompareAndSet.expectedValue("absent", true));
        assertEquals(Optional.of(io.concordat.common.Bytes.ofUtf8("old")),
                ClientCommand.CompareAndSet.expectedValue("old", false));
    }

    @Test
    void benchTakesItsLoadShape() {
        BenchCommand bench = parse(BenchCommand.class, "bench", "--cluster", "c.json", "--clients", "16",
                "--duration", "30", "--payload", "1024", "--warmup", "5", "--json", "out.json");

        assertEquals(16, bench.clients);
        assertEquals(30, bench.durationSeconds);
        assertEquals(1024, bench.payloadBytes);
        assertEquals(5, bench.warmupSeconds);
        assertEquals(Optional.of(Path.of("out.json")), bench.jsonFile);
    }

    @ParameterizedTest
    @ValueSource(strings = {"up --replicas five", "up --base-port", "node --replica 1", "node --config c.conf",
            "client put onlykey", "client cas k v", "client frobnicate k", "status --timeout soon", "frobnicate",
            "keygen --dir d", "bench --clients"})
    void aBadCommandLineExitsWithTheUsageCodeAndSaysWhy(String commandLine) {
        CliRun run = CliRun.of(commandLine.split(" "));

        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        assertFalse(run.err().isBlank(), run::toString);
        assertTrue(run.err().contains("Usage:") || run.err().contains("concordat:")
                || run.err().contains("Unmatched argument"), run::toString);
    }

    @Test
    void noCommandAtAllNamesTheCommands() {
        CliRun run = CliRun.of();

        assertEquals(ExitCodes.USAGE, run.exitCode());
        assertTrue(run.err().contains("missing command"), run::toString);
        assertTrue(run.err().contains("up"), run::toString);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bench --clients 0", "bench --payload -1", "bench --payload 100000", "bench --duration 0",
            "status --timeout 0", "client --timeout 0 get k", "up --ready-timeout 0"})
    void outOfRangeNumbersAreUsageErrorsNamingTheOption(String commandLine) {
        CliRun run = CliRun.of(commandLine.split(" "));

        assertEquals(ExitCodes.USAGE, run.exitCode(), run::toString);
        String option = commandLine.split(" ")[1];
        assertTrue(run.err().contains(option), run::toString);
    }

    @Test
    void loggingIsChosenFromTheCommandBeforeAnythingLogs() {
        assertEquals(Optional.of("3"), ConcordatCli.optionValue(new String[] {"node", "--replica", "3"}, "--replica"));
        assertEquals(Optional.of("5"), ConcordatCli.optionValue(new String[] {"node", "--replica=5"}, "--replica"));
        assertEquals(Optional.empty(), ConcordatCli.optionValue(new String[] {"node", "--replica"}, "--replica"));
    }

    @Test
    void helpAndVersionExitZero() {
        assertEquals(ExitCodes.OK, CliRun.of("--help").exitCode());
        assertEquals(ExitCodes.OK, CliRun.of("client", "put", "--help").exitCode());
        CliRun version = CliRun.of("--version");
        assertEquals(ExitCodes.OK, version.exitCode());
        assertTrue(version.out().startsWith("concordat "), version::toString);
    }
}
