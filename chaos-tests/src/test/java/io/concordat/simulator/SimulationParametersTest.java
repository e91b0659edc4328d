package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Where the focused scenarios put their Byzantine replicas, and the first primary's rule. */
class SimulationParametersTest {

    @Test
    void firstPrimaryBehavioursMakeReplicaZeroByzantine() {
        for (int f = 1; f <= 2; f++) {
            SimulationParameters parameters = SimulationParameters.generate(7,
                    Scenario.byzantine(ByzantineBehaviorKind.EQUIVOCATING_PRIMARY, f));
            assertEquals(f, parameters.byzantineReplicas().size());
            assertEquals(ByzantineBehaviorKind.EQUIVOCATING_PRIMARY, parameters.byzantineReplicas().get(0));
            assertEquals(0, parameters.firstPrimaryIsolationTicks());
        }
    }

    @Test
    void nextPrimaryBehaviourMakesReplicaOneByzantineAndCutsReplicaZeroOff() {
        for (int f = 1; f <= 2; f++) {
            SimulationParameters parameters = SimulationParameters.generate(7,
                    Scenario.byzantine(ByzantineBehaviorKind.BAD_NEW_VIEW, f));
            assertEquals(f, parameters.byzantineReplicas().size());
            assertTrue(parameters.byzantineReplicas().containsKey(1));
            assertFalse(parameters.byzantineReplicas().containsKey(0));
            assertEquals(2L * parameters.protocolConfiguration().viewChangeTimeoutTicks(),
                    parameters.firstPrimaryIsolationTicks());
        }
    }

    @Test
    void backupBehavioursStayOffTheFirstPrimary() {
        SimulationParameters parameters = SimulationParameters.generate(7,
                Scenario.byzantine(ByzantineBehaviorKind.SILENT, 2));
        assertFalse(parameters.byzantineReplicas().containsKey(0));
        TreeMap<Integer, ByzantineBehaviorKind> onReplicaZero = new TreeMap<>();
        onReplicaZero.put(0, ByzantineBehaviorKind.SILENT);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> new SimulationParameters(
                parameters.seed(), parameters.scenario(), parameters.faultsTolerated(), parameters.clientCount(),
                parameters.operationsPerClient(), parameters.keyCount(), parameters.safetyPhaseTicks(),
                parameters.livenessPhaseTicksMax(), parameters.clientRetransmitTicks(),
                parameters.clientThinkTicksMax(), parameters.networkFaults(), new TreeMap<>(), false, onReplicaZero,
                parameters.protocolConfiguration(), 0, parameters.signatureScheme()));
        assertTrue(error.getMessage().contains("primary of view 0"), error.getMessage());
    }
}
