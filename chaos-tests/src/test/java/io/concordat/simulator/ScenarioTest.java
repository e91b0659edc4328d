package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class ScenarioTest {

    @Test
    void blankPropertiesMeanTheRandomScenario() {
        assertEquals(Scenario.random(), Scenario.parse("", " ", ""));
        assertEquals("", Scenario.random().replayProperties());
    }

    @Test
    void aByzantineScenarioRoundTripsThroughItsReplayProperties() {
        Scenario scenario = Scenario.byzantine(ByzantineBehaviorKind.FORGED_SENDER, 2);
        assertEquals(" -Dsimulation.faultsTolerated=2 -Dsimulation.byzantine=FORGED_SENDER", scenario.replayProperties());
        assertEquals(scenario, Scenario.parse("2", "FORGED_SENDER", ""));
    }

    @Test
    void badValuesAreRejectedNamingTheProperty() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scenario.parse("3", "", "")).getMessage()
                .contains(Scenario.FAULTS_TOLERATED_PROPERTY));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scenario.parse("one", "", "")).getMessage()
                .contains(Scenario.FAULTS_TOLERATED_PROPERTY));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scenario.parse("1", "EVIL", "")).getMessage()
                .contains(Scenario.BYZANTINE_PROPERTY));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scenario.parse("", "SILENT", "")).getMessage()
                .contains(Scenario.FAULTS_TOLERATED_PROPERTY));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scenario.parse("1", "", "SOMETIMES")).getMessage()
                .contains(Scenario.CRASHES_PROPERTY));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Scenario.parse("1", "SILENT", "STOP")).getMessage()
                .contains("whole fault budget"));
    }

    @Test
    void theReplayCommandNamesSeedAndScenario() {
        String command = ReplayCommand.of(1234, Scenario.byzantine(ByzantineBehaviorKind.SILENT, 1));
        assertTrue(command.contains("-Dtest=SimulationReplayTest"), command);
        assertTrue(command.contains("-Dsimulation.seed=1234 -Dsimulation.faultsTolerated=1 -Dsimulation.byzantine=SILENT"),
                command);
    }

    @Test
    void generatedRunsStayWithinTheFaultBudgetAndCoverBothFPrimaryCrashesAndRestarts() {
        long[] runsByF = new long[3];
        long[] primaryCrashes = new long[1];
        long[] restarts = new long[1];
        LongStream.range(1, 601).forEach(seed -> {
            SimulationParameters parameters = SimulationParameters.generate(seed, Scenario.random());
            runsByF[parameters.faultsTolerated()]++;
            primaryCrashes[0] += parameters.crashes().containsKey(0) ? 1 : 0;
            restarts[0] += parameters.crashes().values().stream().filter(plan -> plan.restartTick().isPresent()).count();
            assertTrue(parameters.crashes().size() + parameters.byzantineReplicas().size()
                    <= parameters.faultsTolerated(), parameters::describe);
            assertTrue(!parameters.byzantineReplicas().containsKey(0));
            assertTrue(parameters.byzantineReplicas().keySet().stream().noneMatch(parameters.crashes()::containsKey));
            parameters.crashes().values().forEach(plan -> assertTrue(plan.crashTick() < parameters.safetyPhaseTicks()));
        });
        assertTrue(runsByF[1] > 200 && runsByF[2] > 200, () -> "f=1: " + runsByF[1] + ", f=2: " + runsByF[2]);
        assertTrue(primaryCrashes[0] > 20, () -> "the first primary crashed in only " + primaryCrashes[0] + " runs");
        assertTrue(restarts[0] > 50, () -> "only " + restarts[0] + " restarts");
    }

    @Test
    void aCrashScenarioRoundTripsAndCrashesFReplicasThatAllRestart() {
        Scenario scenario = Scenario.crashes(CrashMode.RESTART_FULL_JOURNAL, 2);
        assertEquals(" -Dsimulation.faultsTolerated=2 -Dsimulation.crashes=RESTART_FULL_JOURNAL", scenario.replayProperties());
        assertEquals(scenario, Scenario.parse("2", "", "RESTART_FULL_JOURNAL"));
        SimulationParameters parameters = SimulationParameters.generate(9, scenario);
        assertEquals(2, parameters.crashes().size());
        assertEquals(0, parameters.byzantineReplicas().size());
        assertTrue(parameters.crashes().values().stream().allMatch(plan -> plan.restartTick().isPresent()));
        assertFalse(parameters.compactJournals());
        assertTrue(SimulationParameters.generate(9, Scenario.crashes(CrashMode.RESTART, 2)).compactJournals());
        assertTrue(SimulationParameters.generate(9, Scenario.crashes(CrashMode.STOP, 1)).crashes().values().stream()
                .noneMatch(plan -> plan.restartTick().isPresent()));
    }

    @Test
    void aCrashPlanRestartsOnlyAfterItCrashes() {
        IllegalArgumentException early = assertThrows(IllegalArgumentException.class,
                () -> new CrashPlan(50, false, java.util.OptionalLong.of(50)));
        assertTrue(early.getMessage().contains("restarts after it crashes"), early::getMessage);
    }

    @Test
    void aByzantineScenarioPutsFReplicasUnderTheBehaviourAndCrashesNone() {
        SimulationParameters parameters = SimulationParameters.generate(7, Scenario.byzantine(ByzantineBehaviorKind.SILENT, 2));
        assertEquals(2, parameters.byzantineReplicas().size());
        assertTrue(parameters.byzantineReplicas().values().stream().allMatch(ByzantineBehaviorKind.SILENT::equals));
        assertEquals(0, parameters.crashes().size());
    }
}
