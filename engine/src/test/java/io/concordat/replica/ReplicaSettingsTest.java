package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReplicaSettingsTest {

    @Test
    void defaultsComeFromReferenceConf() {
        ReplicaSettings settings = ReplicaSettings.defaults();
        assertEquals(Duration.ofMillis(10), settings.tickInterval());
        assertEquals(100_000, settings.clientRoutesMax());
        assertEquals(16, settings.clientRoutesPerClient());
        assertEquals(Duration.ofMinutes(2), settings.clientRouteExpiry());
        assertEquals(1024, settings.orderedLogRetainedBeyondCheckpoint());
        assertEquals(Duration.ofSeconds(30), settings.askTimeout());
    }

    @Test
    void applicationSettingsOverrideTheDefaults() {
        var config = ConfigFactory.parseString("concordat.replica.tick-interval = 25ms")
                .withFallback(ConfigFactory.defaultReference());
        assertEquals(Duration.ofMillis(25), ReplicaSettings.fromConfig(config).tickInterval());
    }

    @Test
    void anUnknownKeyFailsAndIsNamed() {
        var config = ConfigFactory.parseString("concordat.replica.tick-intervall = 25ms")
                .withFallback(ConfigFactory.defaultReference());
        var thrown = assertThrows(IllegalArgumentException.class, () -> ReplicaSettings.fromConfig(config));
        assertTrue(thrown.getMessage().contains("concordat.replica.tick-intervall"), thrown.getMessage());
    }

    @Test
    void aMistypedValueFailsAndIsNamed() {
        var config = ConfigFactory.parseString("concordat.replica.client-routes-max = lots")
                .withFallback(ConfigFactory.defaultReference());
        var thrown = assertThrows(IllegalArgumentException.class, () -> ReplicaSettings.fromConfig(config));
        assertTrue(thrown.getMessage().contains("client-routes-max"), thrown.getMessage());
    }

    @Test
    void anOutOfRangeValueFailsAndIsNamed() {
        var config = ConfigFactory.parseString("concordat.replica.tick-interval = 0ms")
                .withFallback(ConfigFactory.defaultReference());
        var thrown = assertThrows(IllegalArgumentException.class, () -> ReplicaSettings.fromConfig(config));
        assertTrue(thrown.getMessage().contains("concordat.replica.tick-interval"), thrown.getMessage());
    }
}
