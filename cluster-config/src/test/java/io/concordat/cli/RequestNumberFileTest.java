package io.concordat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestNumberFileTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00.000123Z");
    private static final long NOW_MICROSECONDS = NOW.getEpochSecond() * 1_000_000L + 123;

    @TempDir
    Path directory;

    private Path file() {
        return directory.resolve("client-local.seq");
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }

    @Test
    void theFileSitsNextToTheKey() {
        assertEquals(Path.of("keys/client-local.seq"), RequestNumberFile.forKey(Path.of("keys/client-local.key")));
        assertEquals(Path.of("k/odd.seq"), RequestNumberFile.forKey(Path.of("k/odd")));
    }

    @Test
    void theFirstLeaseStartsAtTheClockAndRecordsItsWholeBlock() throws Exception {
        long first;
        try (var lease = RequestNumberFile.acquire(file(), at(NOW))) {
            first = lease.firstRequestNumber();
            assertEquals(NOW_MICROSECONDS, first);
            assertEquals(first + RequestNumberFile.BLOCK - 1, lease.lastRequestNumber());
            // Recorded before any request is sent, so a crash now can never reuse these numbers.
            assertEquals(String.valueOf(lease.lastRequestNumber()), Files.readString(file()).strip());
        }
    }

    @Test
    void numbersIncreaseAcrossInvocationsEvenIfTheClockStandsStillOrGoesBack() {
        long previousLast = 0;
        Instant[] clocks = {NOW, NOW, NOW.minusSeconds(3600), NOW.minusSeconds(7200)};
        for (Instant instant : clocks) {
            try (var lease = RequestNumberFile.acquire(file(), at(instant))) {
                assertTrue(lease.firstRequestNumber() > previousLast, "leases overlap");
                previousLast = lease.lastRequestNumber();
            }
        }
        assertEquals(NOW_MICROSECONDS + 4 * RequestNumberFile.BLOCK - 1, previousLast);
    }

    @Test
    void aLostFileStillStartsAboveEarlierNumbersThroughTheClock() throws Exception {
        long earlierLast;
        try (var lease = RequestNumberFile.acquire(file(), at(NOW))) {
            earlierLast = lease.lastRequestNumber();
        }
        Files.delete(file());

        try (var lease = RequestNumberFile.acquire(file(), at(NOW.plusSeconds(1)))) {
            assertTrue(lease.firstRequestNumber() > earlierLast);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"twelve", "-5", "1 2", "99999999999999999999999"})
    void aCorruptFileIsRefusedWithAClearMessageAndLeftAlone(String content) throws Exception {
        Files.writeString(file(), content);

        CliException refused = assertThrows(CliException.class, () -> RequestNumberFile.acquire(file(), at(NOW)));

        assertTrue(refused.getMessage().contains("is corrupt"), refused.getMessage());
        assertTrue(refused.getMessage().contains(file().toString()), refused.getMessage());
        assertEquals(content, Files.readString(file()));
        // The lock was released: a repaired file works at once.
        Files.writeString(file(), "7\n");
        try (var lease = RequestNumberFile.acquire(file(), at(Instant.EPOCH))) {
            assertEquals(8, lease.firstRequestNumber());
        }
    }

    @Test
    void anOversizedFileIsRefused() throws Exception {
        Files.writeString(file(), "1".repeat(100));

        CliException refused = assertThrows(CliException.class, () -> RequestNumberFile.acquire(file(), at(NOW)));
        assertTrue(refused.getMessage().contains("larger than"), refused.getMessage());
    }

    @Test
    void aSecondLeaseWaitsUntilTheFirstIsClosed() throws Exception {
        var firstLease = RequestNumberFile.acquire(file(), at(NOW));
        var started = new CountDownLatch(1);
        CompletableFuture<Long> second = CompletableFuture.supplyAsync(() -> {
            started.countDown();
            try (var lease = RequestNumberFile.acquire(file(), at(NOW))) {
                return lease.firstRequestNumber();
            }
        });
        assertTrue(started.await(30, TimeUnit.SECONDS));
        // While the first lease is open the second cannot have one; a wrongly granted lease would show here.
        Thread.sleep(200);
        assertFalse(second.isDone(), "a second lease was granted while the first was open");

        long firstLast = firstLease.lastRequestNumber();
        firstLease.close();

        assertEquals(firstLast + 1, second.get(30, TimeUnit.SECONDS));
    }
}
