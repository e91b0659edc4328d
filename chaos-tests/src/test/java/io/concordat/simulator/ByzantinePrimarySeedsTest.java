package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Byzantine-primary sweep: two thirds of {@code simulation.seeds} runs (1,200 by default beside the 1,800
 * of {@link SimulationSeedsTest}, 6,666 in the campaign profile), cycling through the behaviours of the
 * Byzantine-primary catalogue at f = 1 and f = 2, each with its seed's network faults and signature scheme
 * (real Ed25519 on one seed in ten, as {@link SignatureScheme#drawnFor(long)} picks). Seeds start at
 * 2,000,000 + {@code simulation.firstSeed}; every failure names its replay command.
 */
class ByzantinePrimarySeedsTest {

    static Stream<Arguments> runs() {
        long count = SeedRange.seeds(1800) * 2 / 3;
        long base = 2_000_000 + SeedRange.firstSeed();
        List<ByzantineBehaviorKind> kinds = new ArrayList<>();
        for (ByzantineBehaviorKind kind : ByzantineBehaviorKind.values()) {
            if (kind.isPrimaryCatalogue()) {
                kinds.add(kind);
            }
        }
        List<Arguments> runs = new ArrayList<>();
        for (long index = 0; index < count; index++) {
            ByzantineBehaviorKind kind = kinds.get((int) (index % kinds.size()));
            int f = 1 + (int) (index / kinds.size() % 2);
            runs.add(Arguments.of(kind, f, base + index));
        }
        return runs.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}, f={1}, seed {2}")
    @MethodSource("runs")
    void correctReplicasStaySafeAndLive(ByzantineBehaviorKind kind, int f, long seed) {
        SimulationResult result = Simulation.run(seed, Scenario.byzantine(kind, f));
        assertTrue(result.passed(), result::report);
    }
}
