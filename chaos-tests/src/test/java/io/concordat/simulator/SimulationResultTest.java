package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Sha256;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulationResultTest {
    private static final RunCounts COUNTS = new RunCounts("", 0, 0, 0, 0, 0, 0, 0, 0, Map.of(), ByzantineCounts.NONE);

    @Test
    void aFailedRunReportsItsViolationsAndTheCommandThatReplaysIt() {
        Scenario scenario = Scenario.byzantine(ByzantineBehaviorKind.WRONG_DIGESTS, 2);
        SimulationResult result = new SimulationResult(SimulationParameters.generate(31, scenario),
                Sha256.of(Bytes.ofUtf8("trace")), 10, List.of("agreement: broken"), COUNTS);
        assertFalse(result.passed());
        String report = result.report();
        assertTrue(report.startsWith("FAILED seed 31"), report);
        assertTrue(report.contains("VIOLATION agreement: broken"), report);
        assertTrue(report.contains("replay: " + ReplayCommand.of(31, scenario)), report);
        assertTrue(report.contains("-Dsimulation.seed=31 -Dsimulation.faultsTolerated=2 -Dsimulation.byzantine=WRONG_DIGESTS"),
                report);
    }

    @Test
    void aPassedRunPrintsNoReplayCommand() {
        SimulationResult result = new SimulationResult(SimulationParameters.generate(32, Scenario.random()),
                Sha256.of(Bytes.ofUtf8("trace")), 10, List.of(), COUNTS);
        assertTrue(result.passed());
        assertFalse(result.report().contains("replay:"), result.report());
    }
}
