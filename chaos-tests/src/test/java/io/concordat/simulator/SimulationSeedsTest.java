package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The default seed sweep: {@code simulation.seeds} runs (1,800 by default, 10,000 in the campaign
 * profile), each drawing f, faults, Byzantine behaviours and its signature scheme from its seed (real
 * Ed25519 on one seed in ten, {@link HmacSignatures} on the others: {@link SignatureScheme#drawnFor(long)}).
 * Seeds start at {@code simulation.firstSeed} (default 1; see {@link SeedRange}), so a campaign can explore
 * fresh seeds. Every failure names its replay command, the scheme included.
 */
class SimulationSeedsTest {

    static LongStream seeds() {
        long count = SeedRange.seeds(1800);
        long base = SeedRange.firstSeed();
        return LongStream.range(base, base + count);
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void seedKeepsSafetyAndLiveness(long seed) {
        SimulationResult result = Simulation.run(seed);
        assertTrue(result.passed(), result::report);
    }
}
