package io.concordat.bench.recovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What an H2 journal file holds for replica 0, read with plain JDBC from the tables of
 * pekko-persistence-jdbc: the events (rows), their serialized payload bytes, the highest sequence number,
 * the snapshots, and the size of the file on disk.
 */
record JournalFile(long events, long payloadBytes, long highestSequenceNumber, long snapshots, long fileBytes) {

    /** {@code databaseFile} as given to {@code JdbcJournalConfig.h2}; H2 adds {@code .mv.db}. */
    static JournalFile inspect(Path databaseFile) {
        String url = "jdbc:h2:file:" + databaseFile.toAbsolutePath() + ";DATABASE_TO_UPPER=false";
        try (Connection connection = DriverManager.getConnection(url, "", "")) {
            long[] journal = query(connection, "SELECT COUNT(*), COALESCE(SUM(OCTET_LENGTH(\"event_payload\")), 0), "
                    + "COALESCE(MAX(\"sequence_number\"), 0) FROM \"event_journal\" WHERE \"persistence_id\" = ?", 3);
            long[] snapshots = query(connection, "SELECT COUNT(*) FROM \"snapshot\" WHERE \"persistence_id\" = ?", 1);
            return new JournalFile(journal[0], journal[1], journal[2], snapshots[0], fileBytes(databaseFile));
        } catch (SQLException failure) {
            throw new IllegalStateException("cannot read the journal " + databaseFile + ".mv.db: " + failure.getMessage(),
                    failure);
        }
    }

    private static long[] query(Connection connection, String sql, int columns) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, RecoveryCluster.PERSISTENCE_ID);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                long[] values = new long[columns];
                for (int column = 0; column < columns; column++) {
                    values[column] = result.getLong(column + 1);
                }
                return values;
            }
        }
    }

    static long fileBytes(Path databaseFile) {
        try {
            return Files.size(databaseFile.resolveSibling(databaseFile.getFileName() + ".mv.db"));
        } catch (IOException failure) {
            throw new UncheckedIOException(failure);
        }
    }
}
