package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A seed is a run: the same seed (and signature scheme) gives the same event trace, bit for bit; another
 * seed does not, and neither does the other scheme, whose signatures are other bytes.
 */
class DeterminismTest {

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {3, 4, 77, 1_000_003})
    void theSameSeedReplaysTheSameTrace(long seed) {
        SimulationResult first = Simulation.run(seed);
        SimulationResult second = Simulation.run(seed);
        assertEquals(first.traceHash(), second.traceHash(), "trace hash of seed " + seed);
        assertEquals(first.lastTick(), second.lastTick());
        assertEquals(first.violations(), second.violations());
        assertEquals(first.counts(), second.counts());
    }

    @Test
    void aByzantineScenarioReplaysTheSameTrace() {
        Scenario scenario = Scenario.byzantine(ByzantineBehaviorKind.MIXED, 2);
        assertEquals(Simulation.run(11, scenario).traceHash(), Simulation.run(11, scenario).traceHash());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(SignatureScheme.class)
    void eachSchemeReplaysTheSameTrace(SignatureScheme scheme) {
        for (Scenario scenario : new Scenario[] {Scenario.random(),
                Scenario.byzantine(ByzantineBehaviorKind.FORGED_SENDER, 1),
                Scenario.byzantine(ByzantineBehaviorKind.EQUIVOCATING_PRIMARY, 2)}) {
            SimulationResult first = Simulation.run(8, scenario.withSignatures(scheme));
            SimulationResult second = Simulation.run(8, scenario.withSignatures(scheme));
            assertEquals(scheme, first.parameters().signatureScheme());
            assertEquals(first.traceHash(), second.traceHash(), () -> scenario + " with " + scheme);
            assertEquals(first.lastTick(), second.lastTick());
            assertEquals(first.violations(), second.violations());
            assertEquals(first.counts(), second.counts());
        }
    }

    @Test
    void theSchemeIsPartOfTheRun() {
        assertNotEquals(Simulation.run(8, Scenario.random().withSignatures(SignatureScheme.ED25519)).traceHash(),
                Simulation.run(8, Scenario.random().withSignatures(SignatureScheme.HMAC)).traceHash());
    }

    @Test
    void differentSeedsGiveDifferentTraces() {
        assertNotEquals(Simulation.run(5).traceHash(), Simulation.run(6).traceHash());
    }

    @Test
    void parametersDependOnTheSeedAlone() {
        assertEquals(SimulationParameters.generate(42, Scenario.random()),
                SimulationParameters.generate(42, Scenario.random()));
    }
}
