package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Regression test for a finding of the Byzantine-primary catalogue. Under a sustained load a censoring
 * primary starved its victim for as long as the other clients kept it busy: the backups' request timer was
 * stopped by every executed batch and re-armed with a full timeout, so it never expired while other requests
 * executed. PBFT §4.4 stops the timer only when the backup is no longer waiting for the request the timer
 * was started for, which is what ViewChangeProtocol now does.
 *
 * <p>Seed 1, f = 1: two clients with 160 operations each and no think time; client 0 is censored from tick
 * 0. The backups should suspect the primary within a few view-change timeouts (107 ticks here).
 */
class CensorshipProbeTest {

    @Test
    void backupsReplaceACensoringPrimaryWhileOtherClientsKeepItBusy() {
        SimulationParameters parameters = SimulationParameters.generate(1,
                Scenario.byzantine(ByzantineBehaviorKind.CENSORING_PRIMARY, 1).withSignatures(SignatureScheme.ED25519)).forThroughput(160, 5, false);
        ByteArrayOutputStream trace = new ByteArrayOutputStream();
        SimulationResult result;
        try (PrintStream out = new PrintStream(trace, true, StandardCharsets.UTF_8)) {
            result = new Simulation(parameters, Optional.of(out)).run();
        }
        assertTrue(result.passed(), result::report);
        long firstViewChangeTick = firstTick(trace.toString(StandardCharsets.UTF_8), "ViewChange[newView=1");
        long bound = 4L * parameters.protocolConfiguration().viewChangeTimeoutTicks();
        assertTrue(firstViewChangeTick <= bound, () -> "the censored client waited from tick 0; the first VIEW-CHANGE "
                + "came at tick " + firstViewChangeTick + ", after the other clients finished, not by tick " + bound
                + "\n" + result.report());
    }

    private static long firstTick(String trace, String marker) {
        for (String line : trace.split("\n")) {
            if (line.contains(marker)) {
                return Long.parseLong(line.trim().split("\\s+")[0]);
            }
        }
        return Long.MAX_VALUE;
    }
}
