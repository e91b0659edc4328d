package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Replays one run: the seed from {@code simulation.seed} (seed 1 if unset, so the suite exercises this
 * path too) and the scenario from {@code simulation.faultsTolerated} and {@code simulation.byzantine}.
 * {@code -Dsimulation.trace=true} prints every event. This is what a failing seed's replay command runs.
 */
class SimulationReplayTest {

    @Test
    void replaysTheRequestedSeed() {
        long seed = Long.getLong(ReplayCommand.SEED_PROPERTY, 1);
        boolean printTrace = Boolean.getBoolean("simulation.trace");
        SimulationParameters parameters = SimulationParameters.generate(seed, Scenario.fromSystemProperties());
        SimulationResult result = new Simulation(parameters, printTrace ? Optional.of(System.out) : Optional.empty()).run();
        System.out.print(result.report());
        assertTrue(result.passed(), result::report);
    }
}
