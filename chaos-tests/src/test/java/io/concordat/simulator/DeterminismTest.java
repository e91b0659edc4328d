package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A seed is a run: the same seed gives the same event trace, bit for bit; another seed does not. */
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
