package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.protocol.DropReason;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every backup behaviour of the Byzantine catalogue, alone on f backups (f = 1 and f = 2), over a few seeds
 * with the seed's network faults: the correct replicas stay safe and live. Each run also shows that
 * the behaviour really misbehaved, so none of these tests can pass by doing nothing. They sign with real
 * Ed25519, so that every forgery of the catalogue meets the product's verifier.
 */
class ByzantineBehaviorTest {
    private static final long[] SEEDS = {101, 202, 303};

    static Stream<Arguments> runs() {
        List<Arguments> runs = new ArrayList<>();
        for (ByzantineBehaviorKind kind : ByzantineBehaviorKind.values()) {
            if (kind.isPrimaryCatalogue()) {
                continue; // ByzantinePrimaryTest, with a misbehaviour check for each
            }
            for (int f = 1; f <= 2; f++) {
                for (long seed : SEEDS) {
                    runs.add(Arguments.of(kind, f, seed));
                }
            }
        }
        return runs.stream();
    }

    @ParameterizedTest(name = "{0}, f={1}, seed {2}")
    @MethodSource("runs")
    void correctReplicasStaySafeAndLive(ByzantineBehaviorKind kind, int f, long seed) {
        SimulationResult result = Simulation.run(seed, Scenario.byzantine(kind, f).withSignatures(SignatureScheme.ED25519));
        assertTrue(result.passed(), result::report);
        assertEquals(f, result.parameters().byzantineReplicas().size());
        assertMisbehaved(kind, result);
    }

    private static void assertMisbehaved(ByzantineBehaviorKind kind, SimulationResult result) {
        RunCounts counts = result.counts();
        ByzantineCounts byzantine = counts.byzantine();
        assertTrue(byzantine.produced() > 0, () -> "the Byzantine cores produced nothing\n" + result.report());
        if (kind == ByzantineBehaviorKind.SILENT) {
            assertEquals(0, byzantine.sent(), result::report);
        } else {
            assertTrue(byzantine.altered() > 0, () -> kind + " altered nothing\n" + result.report());
        }
        if (kind == ByzantineBehaviorKind.GARBAGE_SIGNATURES || kind == ByzantineBehaviorKind.FORGED_SENDER) {
            assertTrue(counts.drops(DropReason.BAD_SIGNATURE) > 0 || counts.clientRepliesRejected() > 0,
                    () -> kind + " but nothing was rejected for its signature\n" + result.report());
        }
        if (kind == ByzantineBehaviorKind.CORRUPTED_ENCODING) {
            assertTrue(counts.undecodable() + counts.drops(DropReason.BAD_SIGNATURE)
                    + counts.drops(DropReason.MALFORMED) > 0, () -> "no corruption was rejected\n" + result.report());
        }
    }
}
