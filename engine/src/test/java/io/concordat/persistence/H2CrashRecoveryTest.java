package io.concordat.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link H2CrashRecovery} against H2's real behaviour: a journal-like table is written commit by commit, and
 * after each commit the file is copied, which is what a SIGKILL leaves on disk (H2 writes a commit's chunk
 * before the commit returns; nothing is in flight in between). Each copy is then opened as a restarted node
 * would open it.
 */
class H2CrashRecoveryTest {
    private static final int MAX_COMMITS = 600;
    private static final int LOSING_IMAGES_CHECKED = 4;
    private static final int CONTROL_IMAGE_EVERY_COMMITS = 97;

    @TempDir
    Path directory;

    /** A crash image: the file as it was when {@code committed} were the table's rows. */
    private record CrashImage(Path databaseFile, Rows committed, boolean headerLosesCommits) {}

    /** How many rows a table holds, and a checksum of their sequence numbers and payloads. */
    private record Rows(long count, long checksum) {}

    @Test
    void aCrashImageOpensWithEveryCommitAfterRecoveryWhereH2AloneWouldLoseSome() throws Exception {
        List<CrashImage> images = writeUntilCrashImagesLoseCommits(new Random(7));
        long losing = images.stream().filter(CrashImage::headerLosesCommits).count();
        assertTrue(losing > 0, "no crash image in " + MAX_COMMITS + " commits makes H2 open an older version than "
                + "the file holds; if H2 fixed its header chain, H2CrashRecovery may no longer be needed");

        for (CrashImage image : images) {
            if (image.headerLosesCommits()) {
                // Without the recovery, H2 itself opens a copy of the image with fewer rows than were committed.
                Path untouched = copyOf(image.databaseFile(), "untouched");
                assertTrue(rows(untouched).count() < image.committed().count(),
                        "H2 opens the image without the recovery with every commit");
            }
            H2CrashRecovery.Outcome outcome = H2CrashRecovery.recover(image.databaseFile());
            assertEquals(image.headerLosesCommits(), outcome.recoveredCommits(), image.toString());
            assertEquals(image.committed(), rows(image.databaseFile()), image + " after " + outcome);
        }
    }

    @Test
    void aRecoveredFileIsNotTouchedAgain() throws Exception {
        CrashImage image = writeUntilCrashImagesLoseCommits(new Random(11)).stream()
                .filter(CrashImage::headerLosesCommits).findFirst().orElseThrow();
        assertTrue(H2CrashRecovery.recover(image.databaseFile()).recoveredCommits());
        byte[] recovered = Files.readAllBytes(H2CrashRecovery.storeFile(image.databaseFile()));

        H2CrashRecovery.Outcome again = H2CrashRecovery.recover(image.databaseFile());

        assertFalse(again.recoveredCommits(), again.toString());
        assertArrayEquals(recovered, Files.readAllBytes(H2CrashRecovery.storeFile(image.databaseFile())));
    }

    @Test
    void aCleanlyClosedDatabaseIsLeftAlone() throws Exception {
        Path database = directory.resolve("clean");
        try (Connection connection = DriverManager.getConnection(JdbcJournalConfig.h2Url(database), "", "")) {
            createJournalTable(connection);
            insertRows(connection, 1, 20, new Random(3));
        }
        byte[] before = Files.readAllBytes(H2CrashRecovery.storeFile(database));

        H2CrashRecovery.Outcome outcome = H2CrashRecovery.recover(database);

        assertFalse(outcome.recoveredCommits(), outcome.toString());
        assertArrayEquals(before, Files.readAllBytes(H2CrashRecovery.storeFile(database)));
    }

    @Test
    void aMissingFileIsNothingToRecover() {
        H2CrashRecovery.Outcome outcome = H2CrashRecovery.recover(directory.resolve("absent"));

        assertFalse(outcome.recoveredCommits());
        assertFalse(Files.exists(directory.resolve("absent.mv.db")), "recovery created a database");
    }

    @Test
    void anUnreadableFileIsLeftForTheOpenToReport() throws Exception {
        Path database = directory.resolve("garbage");
        byte[] garbage = new byte[3 * 4096];
        new Random(5).nextBytes(garbage);
        Files.write(H2CrashRecovery.storeFile(database), garbage);

        H2CrashRecovery.Outcome outcome = H2CrashRecovery.recover(database);

        assertFalse(outcome.recoveredCommits());
        assertArrayEquals(garbage, Files.readAllBytes(H2CrashRecovery.storeFile(database)));
    }

    /**
     * Commits like a replica journal does (a transaction of one to four events, deletes below a moving
     * checkpoint that free space for H2 to reuse), keeping the crash images H2 would open short (up to a few)
     * and a control image every so often. {@code RETENTION_TIME=0} lets H2 reuse freed space at once instead
     * of after its default 45 seconds, which is when the node's journals start losing commits.
     */
    private List<CrashImage> writeUntilCrashImagesLoseCommits(Random random) throws SQLException, IOException {
        Path database = directory.resolve("journal-" + random.nextInt(1_000_000));
        List<CrashImage> images = new ArrayList<>();
        int losing = 0;
        try (Connection connection = DriverManager.getConnection(
                JdbcJournalConfig.h2Url(database) + ";RETENTION_TIME=0", "", "")) {
            createJournalTable(connection);
            connection.setAutoCommit(false);
            long sequence = 0;
            for (int commit = 1; commit <= MAX_COMMITS && losing < LOSING_IMAGES_CHECKED; commit++) {
                int events = 1 + random.nextInt(4);
                insertRows(connection, sequence + 1, events, random);
                sequence += events;
                if (commit % 10 == 0) {
                    try (PreparedStatement delete = connection.prepareStatement("delete from journal where seq <= ?")) {
                        delete.setLong(1, sequence - 20);
                        delete.executeUpdate();
                    }
                }
                connection.commit();
                Path image = directory.resolve("image-" + commit);
                Files.copy(H2CrashRecovery.storeFile(database), H2CrashRecovery.storeFile(image),
                        StandardCopyOption.COPY_ATTRIBUTES);
                Path store = H2CrashRecovery.storeFile(image);
                boolean headerLosesCommits = H2CrashRecovery.openedVersion(store, false)
                        < H2CrashRecovery.openedVersion(store, true);
                if (headerLosesCommits || commit % CONTROL_IMAGE_EVERY_COMMITS == 0) {
                    images.add(new CrashImage(image, rows(connection), headerLosesCommits));
                    losing += headerLosesCommits ? 1 : 0;
                } else {
                    Files.delete(store);
                }
            }
        }
        return images;
    }

    private static void createJournalTable(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("create table journal(seq bigint primary key, payload varbinary(100000))");
        }
    }

    private static void insertRows(Connection connection, long firstSequence, int rows, Random random)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("insert into journal values (?, ?)")) {
            for (int row = 0; row < rows; row++) {
                byte[] payload = new byte[100 + random.nextInt(random.nextInt(10) == 0 ? 20_000 : 1_000)];
                random.nextBytes(payload);
                insert.setLong(1, firstSequence + row);
                insert.setBytes(2, payload);
                insert.executeUpdate();
            }
        }
    }

    private Path copyOf(Path databaseFile, String suffix) throws IOException {
        Path copy = databaseFile.resolveSibling(databaseFile.getFileName() + "-" + suffix);
        Files.copy(H2CrashRecovery.storeFile(databaseFile), H2CrashRecovery.storeFile(copy));
        return copy;
    }

    private static Rows rows(Path databaseFile) throws SQLException {
        try (Connection connection = DriverManager.getConnection(JdbcJournalConfig.h2Url(databaseFile), "", "")) {
            return rows(connection);
        }
    }

    /** Every row's sequence number and payload, so a recovery that returned other rows would show. */
    private static Rows rows(Connection connection) throws SQLException {
        long count = 0;
        long checksum = 17;
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select seq, payload from journal order by seq")) {
            while (result.next()) {
                count++;
                checksum = checksum * 31 + result.getLong(1);
                checksum = checksum * 31 + java.util.Arrays.hashCode(result.getBytes(2));
            }
        }
        return new Rows(count, checksum);
    }
}
