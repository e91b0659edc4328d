package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalAnchorTest {
    @TempDir
    Path directory;

    @Test
    void aNewAnchorRecordsNothingAndAcceptsAnyJournal() {
        try (var anchor = JournalAnchor.open(directory.resolve("replica-0").resolve("journal.anchor"))) {
            assertEquals(OptionalLong.empty(), anchor.recorded());
            assertEquals(Optional.empty(), anchor.checkJournal(0));
        }
    }

    @Test
    void theAnchorSurvivesReopeningAndNeverMovesBack() {
        Path file = directory.resolve("journal.anchor");
        try (var anchor = JournalAnchor.open(file)) {
            anchor.advance(7);
            anchor.advance(42);
            anchor.advance(9);
        }
        try (var anchor = JournalAnchor.open(file)) {
            assertEquals(OptionalLong.of(42), anchor.recorded());
            assertEquals(Optional.empty(), anchor.checkJournal(42));
            assertEquals(Optional.empty(), anchor.checkJournal(50));
            String refusal = anchor.checkJournal(41).orElseThrow();
            assertTrue(refusal.contains("its journal ends at event 41 but it had written up to event 42"), refusal);
            assertTrue(refusal.contains("wipe this replica's data directory"), refusal);
        }
    }

    @Test
    void anH2JournalIsCheckpointedBeforeTheAnchorMoves() throws Exception {
        Path database = directory.resolve("journal");
        String url = "jdbc:h2:file:" + database.toAbsolutePath() + ";DATABASE_TO_UPPER=false";
        try (var connection = java.sql.DriverManager.getConnection(url, "", "")) {
            connection.createStatement().execute("CREATE TABLE t (id INT)");
            try (var anchor = JournalAnchor.open(directory.resolve("journal.anchor"),
                    Optional.of(io.concordat.persistence.H2Checkpoint.open(database, true)))) {
                connection.createStatement().execute("INSERT INTO t VALUES (1)");
                anchor.advance(3);
                assertEquals(OptionalLong.empty(), anchor.recorded());
            }
        }
        try (var anchor = JournalAnchor.open(directory.resolve("journal.anchor"))) {
            assertEquals(OptionalLong.of(3), anchor.recorded());
        }
        var missing = assertThrows(IllegalStateException.class,
                () -> io.concordat.persistence.H2Checkpoint.open(directory.resolve("absent"), true));
        assertTrue(missing.getMessage().contains("cannot connect to the H2 journal"), missing.getMessage());
    }

    @Test
    void aDamagedAnchorIsRefusedWithWhatToDo() throws Exception {
        Path file = directory.resolve("journal.anchor");
        try (var anchor = JournalAnchor.open(file)) {
            anchor.advance(1000);
        }
        byte[] bytes = Files.readAllBytes(file);
        bytes[7] ^= 1;
        Files.write(file, bytes);
        var flipped = assertThrows(IllegalStateException.class, () -> JournalAnchor.open(file));
        assertTrue(flipped.getMessage().contains("checksum does not match"), flipped.getMessage());
        assertTrue(flipped.getMessage().contains("Wipe this replica's data directory"), flipped.getMessage());

        Files.write(file, new byte[] {0, 0, 0});
        var truncated = assertThrows(IllegalStateException.class, () -> JournalAnchor.open(file));
        assertTrue(truncated.getMessage().contains("holds 3 bytes, not 12"), truncated.getMessage());
    }
}
