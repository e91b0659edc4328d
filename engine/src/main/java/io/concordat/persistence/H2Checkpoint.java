package io.concordat.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Makes everything committed to an H2 journal stored, and optionally forced to disk, before the replica
 * relies on it: {@code CHECKPOINT} (H2 stores its pending changes) or {@code CHECKPOINT SYNC} (and forces
 * the file, {@code fsync}).
 *
 * <p>Why this is needed: H2 2.x with {@code WRITE_DELAY=0} writes a commit to its file before the commit
 * returns, but never forces the file (strace counted about a dozen {@code fsync} calls per thousand
 * commits), so without this a power loss could take back events whose messages had left. A killed process
 * loses nothing that was written; what H2 did lose after a SIGKILL was commits it had written but could not
 * find at the next open, which {@link H2CrashRecovery} handles.
 *
 * <p>It uses its own connection to the embedded database, which the node's pool shares in the same JVM.
 * Not thread-safe: one replica actor uses it.
 */
public final class H2Checkpoint implements AutoCloseable {
    private final Connection connection;
    private final Statement statement;
    private final String command;

    private H2Checkpoint(Connection connection, boolean forceToDisk) throws SQLException {
        this.connection = connection;
        this.statement = connection.createStatement();
        this.command = forceToDisk ? "CHECKPOINT SYNC" : "CHECKPOINT";
    }

    /**
     * Connects to the H2 journal in {@code databaseFile} (the path without {@code .mv.db}), which must exist.
     *
     * @param forceToDisk also force the file to disk on every checkpoint (survives a power loss)
     */
    public static H2Checkpoint open(Path databaseFile, boolean forceToDisk) {
        try {
            // IFEXISTS: never create an empty database here; the node created the schema already.
            Connection connection = DriverManager.getConnection(JdbcJournalConfig.h2Url(databaseFile) + ";IFEXISTS=TRUE",
                    "", "");
            return new H2Checkpoint(connection, forceToDisk);
        } catch (SQLException failure) {
            throw new IllegalStateException("cannot connect to the H2 journal " + databaseFile.toAbsolutePath()
                    + ".mv.db to checkpoint it: " + failure.getMessage(), failure);
        }
    }

    /** Stores (and with {@code forceToDisk}, forces) everything committed so far. */
    public void checkpoint() {
        try {
            statement.execute(command);
        } catch (SQLException failure) {
            throw new IllegalStateException("H2 could not checkpoint the journal: " + failure.getMessage(), failure);
        }
    }

    @Override
    public void close() {
        try {
            statement.close();
            connection.close();
        } catch (SQLException ignored) {
            // The node is stopping; everything was checkpointed after the last write.
        }
    }
}
