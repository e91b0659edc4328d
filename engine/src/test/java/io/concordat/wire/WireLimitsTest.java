package io.concordat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WireLimitsTest {

    @Test
    void defaultsAreSixteenMebibytesSixtyFourKibibytesAndFourThousandRequests() {
        WireLimits limits = WireLimits.defaults();
        assertEquals(16 * 1024 * 1024, limits.maxEnvelopeBytes());
        assertEquals(64 * 1024, limits.maxOperationBytes());
        assertEquals(4096, limits.maxBatchRequests());
    }

    @Test
    void smallestLimitsAreAllowed() {
        WireLimits limits = new WireLimits(1, 0, 1);
        assertEquals(1, limits.maxEnvelopeBytes());
    }

    @Test
    void envelopeLimitMustBePositive() {
        var error = assertThrows(IllegalArgumentException.class, () -> new WireLimits(0, 0, 1));
        assertEquals("maxEnvelopeBytes must be at least 1, got 0", error.getMessage());
    }

    @Test
    void operationLimitMustNotBeNegative() {
        var error = assertThrows(IllegalArgumentException.class, () -> new WireLimits(100, -1, 1));
        assertEquals("maxOperationBytes must not be negative, got -1", error.getMessage());
    }

    @Test
    void operationLimitMustFitInAnEnvelope() {
        var error = assertThrows(IllegalArgumentException.class, () -> new WireLimits(100, 101, 1));
        assertEquals("maxOperationBytes (101) must not exceed maxEnvelopeBytes (100)", error.getMessage());
    }

    @Test
    void batchLimitMustBePositive() {
        var error = assertThrows(IllegalArgumentException.class, () -> new WireLimits(100, 10, 0));
        assertEquals("maxBatchRequests must be at least 1, got 0", error.getMessage());
    }
}
