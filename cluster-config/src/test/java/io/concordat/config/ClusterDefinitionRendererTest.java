package io.concordat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.concordat.crypto.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ClusterDefinitionRendererTest {

    @Test
    void renderedDefinitionReadsBackEqual() {
        ClusterDefinition definition = TestDefinitions.definition(7);

        assertEquals(definition, ClusterDefinitionLoader.parse(ClusterDefinitionRenderer.toHocon(definition)));
    }

    @Test
    void aDefinitionWithoutClientKeysReadsBackEqual() {
        ClusterDefinition withClients = TestDefinitions.definition(4);
        ClusterDefinition definition = new ClusterDefinition(withClients.name(), 1, withClients.replicas(),
                withClients.protocol(), Set.of());

        assertEquals(definition, ClusterDefinitionLoader.parse(ClusterDefinitionRenderer.toHocon(definition)));
    }

    @Test
    void readingAndRenderingAHandWrittenFileKeepsEveryValue() {
        ClusterDefinition read = ClusterDefinitionLoader.parse(TestDefinitions.validText());

        assertEquals(read, ClusterDefinitionLoader.parse(ClusterDefinitionRenderer.toHocon(read)));
    }

    static LongStream seeds() {
        return LongStream.range(0, 40);
    }

    /** Random valid definitions: odd durations, sizes that are not whole KiB, several hosts, f from 1 to 3. */
    @ParameterizedTest
    @MethodSource("seeds")
    void randomDefinitionsSurviveARoundTrip(long seed) {
        ClusterDefinition definition = randomDefinition(new SplittableRandom(seed));

        String hocon = ClusterDefinitionRenderer.toHocon(definition);
        ClusterDefinition read = ClusterDefinitionLoader.parse(hocon);

        assertEquals(definition, read, hocon);
        assertEquals(CanonicalForm.bytes(definition), CanonicalForm.bytes(read));
    }

    @Test
    void differentDefinitionsRenderDifferently() {
        ClusterDefinition definition = TestDefinitions.definition(4);
        ClusterDefinition other = new ClusterDefinition("other", 1, definition.replicas(), definition.protocol(),
                definition.allowedClientKeys());

        assertNotEquals(ClusterDefinitionRenderer.toHocon(definition), ClusterDefinitionRenderer.toHocon(other));
    }

    static ClusterDefinition randomDefinition(SplittableRandom random) {
        int faultsTolerated = 1 + random.nextInt(3);
        int replicas = 3 * faultsTolerated + 1;
        List<String> hosts = List.of("127.0.0.1", "10.0.0.7", "replica.example.net", "::1", "node_b.internal");
        List<ReplicaDefinition> definitions = new ArrayList<>();
        for (int id = 0; id < replicas; id++) {
            String host = hosts.get(random.nextInt(hosts.size()));
            int base = 1 + 3 * id;
            definitions.add(new ReplicaDefinition(id, host, base, base + 1, base + 2,
                    TestDefinitions.keyPair(random.nextInt(1 << 20) * 64 + id).publicKey()));
        }
        int checkpointInterval = 1 + random.nextInt(500);
        int batchMaxBytes = 2 + random.nextInt(Integer.MAX_VALUE - 2);
        Duration tick = Duration.ofNanos(1_000_000L + random.nextLong(9_000_000_000L));
        ProtocolSettings protocol = new ProtocolSettings(checkpointInterval,
                checkpointInterval * (2 + random.nextInt(5)), 1 + random.nextInt(10_000), batchMaxBytes,
                Duration.ofNanos(random.nextLong(86_400_000_000_000L)), 1 + random.nextInt(batchMaxBytes - 1),
                1 + random.nextInt(1_000_000), tick, tick.plusNanos(random.nextLong(1_000_000_000_000L)),
                tick.multipliedBy(1 + random.nextInt(100)));
        Set<PublicKey> clientKeys = new HashSet<>();
        int clients = random.nextInt(4);
        for (int index = 0; index < clients; index++) {
            clientKeys.add(TestDefinitions.clientKey(random.nextInt(1000)));
        }
        return new ClusterDefinition("cluster_" + random.nextInt(1000), faultsTolerated, definitions, protocol,
                clientKeys);
    }
}
