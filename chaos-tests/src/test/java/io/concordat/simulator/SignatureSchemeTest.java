package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The signature scheme is a parameter of the run that changes nothing but the signature bytes: the same seed
 * run with Ed25519 and with {@link HmacSignatures} gives the same verdict, and (since both verifiers answer
 * alike for everything a simulated node can send) the very same run: the same last tick and the same counts,
 * drops by reason ({@code BAD_SIGNATURE} included) and Byzantine counts among them. The seed draws real
 * Ed25519 on a fixed share of the sweeps' seeds, and a replay reproduces the scheme.
 */
class SignatureSchemeTest {

    static LongStream generalSeeds() {
        return LongStream.rangeClosed(1, 6);
    }

    /** Every behaviour of the catalogue, backup and primary ones, at f = 1 and f = 2, on one seed each. */
    static Stream<Arguments> byzantineRuns() {
        List<Arguments> runs = new ArrayList<>();
        for (ByzantineBehaviorKind kind : ByzantineBehaviorKind.values()) {
            for (int f = 1; f <= 2; f++) {
                runs.add(Arguments.of(kind, f, 500L + 10L * kind.ordinal() + f));
            }
        }
        return runs.stream();
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "seed {0}")
    @MethodSource("generalSeeds")
    void aGeneralSeedRunsTheSameUnderEitherScheme(long seed) {
        assertSameRun(Scenario.random(), seed);
    }

    @Execution(ExecutionMode.CONCURRENT)
    @ParameterizedTest(name = "{0}, f={1}, seed {2}")
    @MethodSource("byzantineRuns")
    void everyByzantineBehaviourIsCaughtTheSameUnderEitherScheme(ByzantineBehaviorKind kind, int f, long seed) {
        assertSameRun(Scenario.byzantine(kind, f), seed);
    }

    private static void assertSameRun(Scenario scenario, long seed) {
        SimulationResult ed25519 = Simulation.run(seed, scenario.withSignatures(SignatureScheme.ED25519));
        SimulationResult hmac = Simulation.run(seed, scenario.withSignatures(SignatureScheme.HMAC));
        assertEquals(SignatureScheme.ED25519, ed25519.parameters().signatureScheme());
        assertEquals(SignatureScheme.HMAC, hmac.parameters().signatureScheme());
        assertEquals(ed25519.passed(), hmac.passed(), () -> ed25519.report() + hmac.report());
        assertEquals(ed25519.violations(), hmac.violations(), () -> ed25519.report() + hmac.report());
        assertTrue(ed25519.passed(), ed25519::report);
        assertEquals(ed25519.counts(), hmac.counts(), () -> "the scheme changed what happened\n" + ed25519.report()
                + hmac.report());
        assertEquals(ed25519.lastTick(), hmac.lastTick(), () -> ed25519.report() + hmac.report());
    }

    @Test
    void theSeedDrawsEd25519OnAboutOneSeedInTenOfEachSweep() {
        long general = LongStream.rangeClosed(1, 1800)
                .filter(seed -> SignatureScheme.drawnFor(seed) == SignatureScheme.ED25519).count();
        assertTrue(general >= 140 && general <= 220, () -> general + " of 1,800 general seeds with Ed25519");
        assertEquals(SignatureScheme.drawnFor(1234), SignatureScheme.drawnFor(1234));
    }

    @Test
    void everyBehaviourAndFOfTheByzantinePrimarySweepRunsBothSchemes() {
        List<ByzantineBehaviorKind> kinds = new ArrayList<>();
        for (ByzantineBehaviorKind kind : ByzantineBehaviorKind.values()) {
            if (kind.isPrimaryCatalogue()) {
                kinds.add(kind);
            }
        }
        Map<SignatureScheme, long[]> byCase = new EnumMap<>(SignatureScheme.class);
        for (SignatureScheme scheme : SignatureScheme.values()) {
            byCase.put(scheme, new long[2 * kinds.size()]);
        }
        // The default sweep's runs, as ByzantinePrimarySeedsTest lists them.
        for (long index = 0; index < 1200; index++) {
            int caseIndex = (int) (index % (2L * kinds.size()));
            byCase.get(SignatureScheme.drawnFor(2_000_001 + index))[caseIndex]++;
        }
        for (SignatureScheme scheme : SignatureScheme.values()) {
            long[] counts = byCase.get(scheme);
            for (int caseIndex = 0; caseIndex < counts.length; caseIndex++) {
                int index = caseIndex;
                assertTrue(counts[index] >= 2, () -> kinds.get(index % kinds.size()) + " at f=" + (1 + index / kinds.size())
                        + " has " + counts[index] + " seeds with " + scheme);
            }
        }
    }

    @Test
    void theSchemeDrawsNothingFromTheSeedsOtherParameters() {
        for (long seed = 1; seed <= 300; seed++) {
            SimulationParameters drawn = SimulationParameters.generate(seed, Scenario.random());
            assertEquals(SignatureScheme.drawnFor(seed), drawn.signatureScheme());
            for (SignatureScheme scheme : SignatureScheme.values()) {
                SimulationParameters fixed = SimulationParameters.generate(seed, Scenario.random().withSignatures(scheme));
                assertEquals(scheme, fixed.signatureScheme());
                assertEquals(withScheme(drawn, scheme), withScheme(fixed, scheme), "seed " + seed);
            }
        }
    }

    @Test
    void theReplayCommandNamesTheSchemeTheSeedDrewAndReplaysTheSameRun() {
        for (SignatureScheme scheme : SignatureScheme.values()) {
            long seed = LongStream.iterate(1, next -> next + 1).filter(next -> SignatureScheme.drawnFor(next) == scheme)
                    .findFirst().getAsLong();
            SimulationResult result = Simulation.run(seed);
            assertEquals(scheme, result.parameters().signatureScheme());
            String command = result.replayCommand();
            assertTrue(command.endsWith("-Dsimulation.seed=" + seed + " -Dsimulation.signatures=" + scheme), command);
            SimulationResult replayed = Simulation.run(seed, Scenario.parse("", "", "", scheme.name()));
            assertEquals(result.traceHash(), replayed.traceHash());
        }
    }

    @Test
    void aFixedSchemeRoundTripsThroughTheReplayProperties() {
        Scenario scenario = Scenario.byzantine(ByzantineBehaviorKind.GARBAGE_SIGNATURES, 1)
                .withSignatures(SignatureScheme.ED25519);
        assertEquals(" -Dsimulation.faultsTolerated=1 -Dsimulation.byzantine=GARBAGE_SIGNATURES"
                + " -Dsimulation.signatures=ED25519", scenario.replayProperties());
        assertEquals(scenario, Scenario.parse("1", "GARBAGE_SIGNATURES", "", "ED25519"));
        assertEquals(Scenario.random(), Scenario.parse("", "", "", " "));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Scenario.parse("", "", "", "RSA"));
        assertTrue(error.getMessage().contains(Scenario.SIGNATURES_PROPERTY), error::getMessage);
    }

    /** {@code parameters} with the default scenario and {@code scheme}: what is left to compare. */
    private static SimulationParameters withScheme(SimulationParameters parameters, SignatureScheme scheme) {
        return new SimulationParameters(parameters.seed(), Scenario.random(), parameters.faultsTolerated(),
                parameters.clientCount(), parameters.operationsPerClient(), parameters.keyCount(),
                parameters.safetyPhaseTicks(), parameters.livenessPhaseTicksMax(), parameters.clientRetransmitTicks(),
                parameters.clientThinkTicksMax(), parameters.networkFaults(), parameters.crashes(),
                parameters.compactJournals(), parameters.byzantineReplicas(), parameters.protocolConfiguration(),
                parameters.firstPrimaryIsolationTicks(), scheme);
    }
}
