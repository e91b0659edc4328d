package io.concordat.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/**
 * The Pekko settings that put a node's journal and snapshot store on pekko-persistence-jdbc, one database
 * for both, and the schema set-up on first start. A node hosts one replica, so the plugins are the
 * ActorSystem's defaults.
 */
public final class JdbcJournalConfig {
    public static final String JOURNAL_PLUGIN = "jdbc-journal";
    public static final String SNAPSHOT_PLUGIN = "jdbc-snapshot-store";

    private static final String DATABASE = "pekko-persistence-jdbc.shared-databases.concordat";

    private JdbcJournalConfig() {}

    /**
     * An embedded H2 database in the file {@code databaseFile} (H2 adds {@code .mv.db}). One writer only:
     * H2 locks the file, so a second node on the same directory fails at start instead of corrupting it.
     */
    public static Config h2(Path databaseFile) {
        Objects.requireNonNull(databaseFile, "databaseFile");
        // DATABASE_TO_UPPER=false: the plugin's schema quotes lower-case table names. WRITE_DELAY=0: H2
        // otherwise keeps a commit in the process for up to 500 ms, and a killed process would lose events
        // whose messages were already sent. The commit reaches the operating system before the journal
        // answers; surviving a power loss as well needs the file system to keep what was written.
        String url = h2Url(databaseFile);
        // One connection: the replica writes one group at a time, and the snapshot store waits for it. After
        // every write the replica forces the file (H2Checkpoint) and anchors what it wrote (JournalAnchor);
        // before every open, H2CrashRecovery finds the commits H2 would not find after a crash.
        return plugins("slick.jdbc.H2Profile$", "org.h2.Driver", url, "", "", 1);
    }

    /** The JDBC URL of the H2 journal in {@code databaseFile}, as the node's pool and {@link H2Checkpoint} use it. */
    static String h2Url(Path databaseFile) {
        return "jdbc:h2:file:" + databaseFile.toAbsolutePath() + ";DATABASE_TO_UPPER=false;WRITE_DELAY=0";
    }

    /**
     * Opens the H2 database once, directly, before the connection pool does: a damaged file then fails the
     * start at once with H2's own diagnosis instead of a pool time-out. A missing file is created.
     *
     * @throws IllegalStateException saying what is wrong and how to recover
     */
    public static void checkH2Opens(Path databaseFile) {
        try (var connection = java.sql.DriverManager.getConnection(h2Url(databaseFile), "", "")) {
            connection.isValid(10);
        } catch (java.sql.SQLException failure) {
            throw new IllegalStateException("the H2 journal " + databaseFile.toAbsolutePath() + ".mv.db cannot be "
                    + "opened: " + failure.getMessage() + ". If another node uses this data directory, stop it. If the "
                    + "file is damaged, do not start this replica from it: wipe this replica's data directory and let "
                    + "state transfer rebuild it from the other replicas.", failure);
        }
    }

    public static Config postgresql(String url, String user, String password) {
        return plugins("slick.jdbc.PostgresProfile$", "org.postgresql.Driver", url, user, password, 2);
    }

    /** Creates the journal and snapshot tables if they do not exist; safe to run on every start. */
    public static CompletionStage<Done> createSchemaIfNotExists(ClassicActorSystemProvider system) {
        return SchemaUtils.createIfNotExists(JOURNAL_PLUGIN, system);
    }

    private static Config plugins(String profile, String driver, String url, String user, String password,
            int connections) {
        return ConfigFactory.parseString(String.join("\n",
                        "pekko.persistence.journal.plugin = " + JOURNAL_PLUGIN,
                        "pekko.persistence.snapshot-store.plugin = " + SNAPSHOT_PLUGIN,
                        JOURNAL_PLUGIN + ".use-shared-db = concordat",
                        SNAPSHOT_PLUGIN + ".use-shared-db = concordat",
                        "jdbc-read-journal.use-shared-db = concordat",
                        "jdbc-durable-state-store.use-shared-db = concordat",
                        // A replica writes one group of steps at a time; a small pool is enough.
                        DATABASE + ".db.numThreads = " + connections,
                        DATABASE + ".db.maxConnections = " + connections,
                        DATABASE + ".db.minConnections = 1",
                        DATABASE + ".db.connectionPool = HikariCP"))
                .withValue(DATABASE + ".profile", ConfigValueFactory.fromAnyRef(profile))
                .withValue(DATABASE + ".db.driver", ConfigValueFactory.fromAnyRef(driver))
                .withValue(DATABASE + ".db.url", ConfigValueFactory.fromAnyRef(url))
                .withValue(DATABASE + ".db.user", ConfigValueFactory.fromAnyRef(user))
                .withValue(DATABASE + ".db.password", ConfigValueFactory.fromAnyRef(password));
    }
}
