package io.concordat.replica;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The recovery scenario of {@link DurableClusterTest} on a real PostgreSQL server. Each run creates its own
 * database and drops it afterwards. Skipped, with the reason, when no server is reachable.
 *
 * <p>Connection: {@code CONCORDAT_TEST_POSTGRESQL_URL} (a server URL without a database, default
 * {@code jdbc:postgresql://127.0.0.1:5432/}), {@code CONCORDAT_TEST_POSTGRESQL_USER} and
 * {@code CONCORDAT_TEST_POSTGRESQL_PASSWORD} (default {@code concordat}/{@code concordat}); the user needs
 * CREATEDB. {@code .ci/run} starts such a server.
 */
class DurablePostgresqlClusterTest {
    private static final String SERVER = environment("CONCORDAT_TEST_POSTGRESQL_URL", "jdbc:postgresql://127.0.0.1:5432/");
    private static final String USER = environment("CONCORDAT_TEST_POSTGRESQL_USER", "concordat");
    private static final String PASSWORD = environment("CONCORDAT_TEST_POSTGRESQL_PASSWORD", "concordat");

    @Test
    void everyAcknowledgedOperationSurvivesAStopOfEveryReplicaAtOnce() throws SQLException {
        Optional<String> unreachable = probe();
        assumeTrue(unreachable.isEmpty(), () -> "no PostgreSQL server for the journal test: "
                + unreachable.orElse("") + " (set CONCORDAT_TEST_POSTGRESQL_URL/_USER/_PASSWORD, or run .ci/run)");
        String database = "concordat_test_" + UUID.randomUUID().toString().replace("-", "");
        execute("postgres", "CREATE DATABASE " + database);
        try {
            DurableClusterTest.runScenario(ReplicaSettings.defaults().persistence()
                    .withPostgresql(SERVER + database, USER, PASSWORD).withSnapshotEveryEvents(100));
        } finally {
            execute("postgres", "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    private static Optional<String> probe() {
        try (Connection ignored = DriverManager.getConnection(SERVER + "postgres", USER, PASSWORD)) {
            return Optional.empty();
        } catch (SQLException e) {
            return Optional.of(SERVER + " as " + USER + ": " + e.getMessage());
        }
    }

    private static void execute(String database, String statement) throws SQLException {
        try (Connection connection = DriverManager.getConnection(SERVER + database, USER, PASSWORD);
                var sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static String environment(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
