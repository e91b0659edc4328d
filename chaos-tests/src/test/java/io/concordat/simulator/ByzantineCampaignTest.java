package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The long campaign's Byzantine sweep (tag {@code long}, run by the {@code campaign} profile): every
 * behaviour at f = 1 and f = 2 over {@code simulation.seeds / 50} seeds each, with real Ed25519 signatures.
 */
@Tag("long")
class ByzantineCampaignTest {

    static Stream<Arguments> runs() {
        long seedsPerCase = Math.max(1, SeedRange.seeds(1800) / 50);
        long base = SeedRange.firstSeed();
        List<Arguments> runs = new ArrayList<>();
        for (ByzantineBehaviorKind kind : ByzantineBehaviorKind.values()) {
            for (int f = 1; f <= 2; f++) {
                for (long seed = base; seed < base + seedsPerCase; seed++) {
                    runs.add(Arguments.of(kind, f, 1_000_000 + seed));
                }
            }
        }
        return runs.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}, f={1}, seed {2}")
    @MethodSource("runs")
    void correctReplicasStaySafeAndLive(ByzantineBehaviorKind kind, int f, long seed) {
        SimulationResult result = Simulation.run(seed, Scenario.byzantine(kind, f).withSignatures(SignatureScheme.ED25519));
        assertTrue(result.passed(), result::report);
    }
}
