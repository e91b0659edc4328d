package io.concordat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.concordat.protocol.ProtocolConfiguration;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolSettingsTest {

    @Test
    void durationsBecomeTicksRoundedUp() {
        ProtocolSettings settings = settings(Duration.ofMillis(25), Duration.ofMillis(10), Duration.ofMillis(2001),
                Duration.ofMillis(500));

        assertEquals(3, settings.batchDelayTicks());
        assertEquals(201, settings.viewChangeTimeoutTicks());
        assertEquals(50, settings.statusIntervalTicks());
        assertEquals(0, settings.ticks(Duration.ZERO));
        assertEquals(1, settings.ticks(Duration.ofNanos(1)));
    }

    @Test
    void convertsToTheCoresConfiguration() {
        ProtocolConfiguration configuration = settings(Duration.ofMillis(20), Duration.ofMillis(10),
                Duration.ofSeconds(2), Duration.ofMillis(300)).toProtocolConfiguration();

        assertEquals(new ProtocolConfiguration(64, 128, 100, 4096, 2, 1024, 1000, 30, 200, 50), configuration);
    }

    @Test
    void theReferenceDefaultsMatchTheCoresDefaultsAtTheirTickInterval() {
        ProtocolSettings defaults = ProtocolSettings.defaults();

        assertEquals(Duration.ofMillis(10), defaults.tickInterval());
        assertEquals(ProtocolConfiguration.defaults(), defaults.toProtocolConfiguration());
    }

    @Test
    void invalidSettingsBuiltInCodeAreRejectedWithEveryProblem() {
        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> new ProtocolSettings(10, 15, 0, 100, Duration.ofMillis(-1), 100, 1, Duration.ofMillis(10),
                        Duration.ofSeconds(1), Duration.ofSeconds(1)));

        assertEquals(List.of("concordat.cluster.protocol.batch-max-requests",
                "concordat.cluster.protocol.watermark-window", "concordat.cluster.protocol.request-max-bytes",
                "concordat.cluster.protocol.batch-delay"), error.problems().stream().map(Problem::path).toList());
    }

    private static ProtocolSettings settings(Duration batchDelay, Duration tick, Duration viewChangeTimeout,
            Duration statusInterval) {
        return new ProtocolSettings(64, 128, 100, 4096, batchDelay, 1024, 1000, tick, viewChangeTimeout,
                statusInterval);
    }
}
