package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seeds on which the long campaigns found the cluster stalled for good (2026-12-02 at dd276f1), kept
 * as regression tests, and one found later. Three causes, all fixed (docs/chaos.md, "Liveness findings"):
 *
 * <ul>
 *   <li>A replica stuck waiting for a NEW-VIEW resends only its VIEW-CHANGE, which the others drop as a
 *       duplicate before any check, so it did not count as contact; the replicas still in the old view then
 *       never had 2f others in contact and never suspected the crashed or silent primary. 43 of the 45 runs.
 *   <li>A replica that executed a batch in an earlier view and lost a prepare of the new view for it never
 *       committed it again there, and nobody resent the prepare because its STATUS said it had executed the
 *       slot; with f = 2 and two silent backups every correct replica's commit is needed. Seeds 1000170 and
 *       1000172 at f = 2.
 * </ul>
 *
 * The Byzantine seeds come from {@code ByzantineCampaignTest}, whose failures were silent or
 * garbage-signature backups; each runs with both behaviours at f = 1 and f = 2. All of them sign with real
 * Ed25519, as the campaign that found them did.
 */
class LivenessRegressionSeedsTest {
    private static final long[] GENERAL_SEEDS = {1300, 1745, 1771, 1892, 2194, 2276, 2313, 2423, 2638, 3174, 3301,
        3433, 3848, 4424, 4972, 5381, 5569, 5576, 5607, 6926, 7496, 7509, 7797, 7956, 8032, 9133};
    private static final long[] BYZANTINE_SEEDS = {1000010, 1000026, 1000027, 1000035, 1000040, 1000045, 1000083,
        1000107, 1000128, 1000135, 1000147, 1000157, 1000170, 1000172, 1000175, 1000181, 1000196, 1000199};

    static LongStream generalSeeds() {
        return LongStream.of(GENERAL_SEEDS);
    }

    static Stream<Arguments> byzantineRuns() {
        List<Arguments> runs = new ArrayList<>();
        for (ByzantineBehaviorKind kind : List.of(ByzantineBehaviorKind.SILENT, ByzantineBehaviorKind.GARBAGE_SIGNATURES)) {
            for (int f = 1; f <= 2; f++) {
                for (long seed : BYZANTINE_SEEDS) {
                    runs.add(Arguments.of(kind, f, seed));
                }
            }
        }
        return runs.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("generalSeeds")
    void campaignSeedStaysLive(long seed) {
        SimulationResult result = Simulation.run(seed, Scenario.random().withSignatures(SignatureScheme.ED25519));
        assertTrue(result.passed(), result::report);
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}, f={1}, seed {2}")
    @MethodSource("byzantineRuns")
    void byzantineCampaignSeedStaysLive(ByzantineBehaviorKind kind, int f, long seed) {
        SimulationResult result = Simulation.run(seed, Scenario.byzantine(kind, f).withSignatures(SignatureScheme.ED25519));
        assertTrue(result.passed(), result::report);
    }
}
