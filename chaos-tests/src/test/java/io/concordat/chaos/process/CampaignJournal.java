package io.concordat.chaos.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The journal the campaign's replicas run on ({@code node --journal}), and what it needs around it: nothing
 * for H2 (each replica's database file is under the data directory), one PostgreSQL database per replica,
 * created for the run and dropped after it, for PostgreSQL.
 */
interface CampaignJournal extends AutoCloseable {
    /** The {@code node --journal} value. */
    String name();

    /** JVM options for replica {@code replicaId}'s node, for example its journal's configuration file. */
    List<String> javaOptions(int replicaId);

    /**
     * Keeps what the replicas wrote when the journal is closed (a failed run is investigated from it), and
     * says where it is; the H2 journals are in the run's directory, which a failed run keeps anyway.
     */
    default String keepForInvestigation() {
        return "";
    }

    /** Releases the journal's resources, deleting what the replicas wrote unless it is kept. */
    @Override
    void close();

    static CampaignJournal h2() {
        return new CampaignJournal() {
            @Override
            public String name() {
                return "h2";
            }

            @Override
            public List<String> javaOptions(int replicaId) {
                return List.of();
            }

            @Override
            public void close() {}
        };
    }

    /**
     * The PostgreSQL server the environment names, as {@code .ci/run} sets it up:
     * {@code CONCORDAT_TEST_POSTGRESQL_URL} (a server URL without a database, for example
     * {@code jdbc:postgresql://127.0.0.1:5432/}), {@code CONCORDAT_TEST_POSTGRESQL_USER} and
     * {@code CONCORDAT_TEST_POSTGRESQL_PASSWORD}; the user needs CREATEDB. Empty if the URL is not set.
     */
    static Optional<PostgresqlServer> postgresqlFromEnvironment() {
        String url = System.getenv("CONCORDAT_TEST_POSTGRESQL_URL");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new PostgresqlServer(url.endsWith("/") ? url : url + "/",
                environment("CONCORDAT_TEST_POSTGRESQL_USER", "concordat"),
                environment("CONCORDAT_TEST_POSTGRESQL_PASSWORD", "concordat")));
    }

    private static String environment(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    /** A PostgreSQL server that the test may create and drop databases on. */
    record PostgresqlServer(String serverUrl, String user, String password) {
        /** Fails, saying why, if the server does not answer. */
        void requireReachable() {
            try (Connection ignored = connect("postgres")) {
                // reachable
            } catch (SQLException e) {
                throw new IllegalStateException("CONCORDAT_TEST_POSTGRESQL_URL names " + serverUrl + ", but it cannot"
                        + " be reached as " + user + ": " + e.getMessage() + " (start the server, as .ci/run does, or"
                        + " unset the variable to skip the PostgreSQL campaign)", e);
            }
        }

        Connection connect(String database) throws SQLException {
            DriverManager.setLoginTimeout(15);
            return DriverManager.getConnection(serverUrl + database + "?connectTimeout=15&socketTimeout=120", user,
                    password);
        }

        /** One database per replica (replicas must fail independently), created now, dropped by close(). */
        CampaignJournal databasesFor(int replicas, Path configurationDirectory) {
            String prefix = "concordat_kill_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            List<String> databases = new ArrayList<>();
            List<Path> files = new ArrayList<>();
            try {
                Files.createDirectories(configurationDirectory);
                for (int replicaId = 0; replicaId < replicas; replicaId++) {
                    String database = prefix + "_" + replicaId;
                    execute("CREATE DATABASE " + database);
                    databases.add(database);
                    Path file = configurationDirectory.resolve("replica-" + replicaId + "-postgresql.conf");
                    Files.writeString(file, "concordat.replica.persistence.postgresql {\n"
                            + "  url = \"" + serverUrl + database + "\"\n"
                            + "  user = \"" + user + "\"\n"
                            + "  password = \"" + password + "\"\n}\n", StandardCharsets.UTF_8);
                    files.add(file);
                }
            } catch (SQLException | IOException | RuntimeException e) {
                dropAll(databases);
                throw new IllegalStateException("cannot prepare the PostgreSQL databases: " + e.getMessage(), e);
            }
            return new CampaignJournal() {
                private boolean keep;

                @Override
                public String name() {
                    return "postgresql";
                }

                @Override
                public String keepForInvestigation() {
                    keep = true;
                    return "PostgreSQL databases " + String.join(", ", databases) + " on " + serverUrl + " kept (drop"
                            + " them with DROP DATABASE ... WITH (FORCE) when done)";
                }

                @Override
                public List<String> javaOptions(int replicaId) {
                    return List.of("-Dconfig.file=" + files.get(replicaId));
                }

                @Override
                public void close() {
                    if (!keep) {
                        dropAll(databases);
                    }
                }

                @Override
                public String toString() {
                    return "PostgreSQL databases " + databases + " on " + serverUrl;
                }
            };
        }

        private void dropAll(List<String> databases) {
            for (String database : databases) {
                try {
                    execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
                } catch (SQLException e) {
                    System.out.println("kill campaign: could not drop PostgreSQL database " + database + ": "
                            + e.getMessage());
                }
            }
        }

        private void execute(String statement) throws SQLException {
            try (Connection connection = connect("postgres"); var sql = connection.createStatement()) {
                sql.execute(statement);
            }
        }
    }
}
