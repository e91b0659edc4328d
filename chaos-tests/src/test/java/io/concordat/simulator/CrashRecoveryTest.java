package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * f replicas crash (the first primary among the candidates) in each mode, at f = 1 and f = 2, over a few
 * seeds with the seed's network faults: crash-stop, restart from a compacted journal, restart from the
 * whole journal. The correct replicas stay safe and live, and a restarted replica never contradicts
 * itself (the agreement checker compares what it executes again with what it executed before). They sign
 * with real Ed25519.
 */
class CrashRecoveryTest {
    private static final long[] SEEDS = {11, 22, 33, 44};

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (CrashMode mode : CrashMode.values()) {
            for (int f = 1; f <= 2; f++) {
                for (long seed : SEEDS) {
                    runs.add(Arguments.of(mode, f, seed));
                }
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0}, f={1}, seed {2}")
    @MethodSource("runs")
    void correctReplicasStaySafeAndLive(CrashMode mode, int f, long seed) {
        SimulationResult result = Simulation.run(seed, Scenario.crashes(mode, f).withSignatures(SignatureScheme.ED25519));
        assertTrue(result.passed(), result::report);
        long restarts = mode == CrashMode.STOP ? 0 : f;
        assertEquals(restarts, result.counts().restarts(), result::report);
    }
}
