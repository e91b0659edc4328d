package io.concordat.replica;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a replica keeps what it must not forget, read from {@code concordat.replica.persistence}.
 *
 * @param journal which journal: {@code in-memory} (nothing survives the process), {@code h2} (an embedded
 *     H2 file database per replica under {@code data-directory}) or {@code postgresql}
 * @param dataDirectory the node's data directory ({@code data-directory}); required for {@code h2}
 * @param snapshotEveryEvents besides the snapshot at every stable checkpoint, one after this many events
 *     ({@code snapshot-every-events}); the journal before the older of the last two of these is deleted
 * @param keepSnapshots how many event-count snapshots are kept ({@code keep-snapshots})
 * @param postgresqlUrl the JDBC URL of the PostgreSQL database ({@code postgresql.url})
 * @param postgresqlUser ({@code postgresql.user})
 * @param postgresqlPassword ({@code postgresql.password})
 * @param forceWrites H2 only: force every journal write to disk before anything that depends on it leaves
 *     the replica ({@code h2.force-writes}); on, the replica survives a power loss, off only a killed process
 */
public record PersistenceSettings(Journal journal, Optional<Path> dataDirectory, int snapshotEveryEvents,
        int keepSnapshots, String postgresqlUrl, String postgresqlUser, String postgresqlPassword,
        boolean forceWrites) {

    /** The journal kinds, by their configuration names. */
    public enum Journal {
        IN_MEMORY, H2, POSTGRESQL;

        public String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Journal parse(String value) {
            for (Journal journal : values()) {
                if (journal.configName().equals(value)) {
                    return journal;
                }
            }
            throw new IllegalArgumentException(KEY_PREFIX + "journal must be one of in-memory, h2, postgresql; got \""
                    + value + "\"");
        }
    }

    static final String KEY_PREFIX = ReplicaSettings.PATH + ".persistence.";
    static final Set<String> KEYS = Set.of("persistence.journal", "persistence.data-directory",
            "persistence.snapshot-every-events", "persistence.keep-snapshots", "persistence.postgresql.url",
            "persistence.postgresql.user", "persistence.postgresql.password", "persistence.h2.force-writes");

    public PersistenceSettings {
        if (journal == Journal.H2 && dataDirectory.isEmpty()) {
            throw new IllegalArgumentException(KEY_PREFIX + "data-directory must be set when " + KEY_PREFIX
                    + "journal = h2: each replica keeps its H2 database under it");
        }
        if (snapshotEveryEvents < 1) {
            throw new IllegalArgumentException(KEY_PREFIX + "snapshot-every-events must be at least 1, got "
                    + snapshotEveryEvents);
        }
        if (keepSnapshots < 1) {
            throw new IllegalArgumentException(KEY_PREFIX + "keep-snapshots must be at least 1, got " + keepSnapshots);
        }
        if (journal == Journal.POSTGRESQL && !postgresqlUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException(KEY_PREFIX + "postgresql.url must be a jdbc:postgresql: URL, got \""
                    + postgresqlUrl + "\"");
        }
    }

    static PersistenceSettings fromConfig(Config section) {
        String directory = section.getString("data-directory");
        return new PersistenceSettings(Journal.parse(section.getString("journal")),
                directory.isBlank() ? Optional.empty() : Optional.of(Path.of(directory)),
                section.getInt("snapshot-every-events"), section.getInt("keep-snapshots"),
                section.getString("postgresql.url"), section.getString("postgresql.user"),
                section.getString("postgresql.password"), section.getBoolean("h2.force-writes"));
    }

    public PersistenceSettings withJournal(Journal journal) {
        return new PersistenceSettings(journal, dataDirectory, snapshotEveryEvents, keepSnapshots, postgresqlUrl,
                postgresqlUser, postgresqlPassword, forceWrites);
    }

    /** The H2 journal under {@code directory}. */
    public PersistenceSettings withH2(Path directory) {
        return new PersistenceSettings(Journal.H2, Optional.of(directory), snapshotEveryEvents, keepSnapshots,
                postgresqlUrl, postgresqlUser, postgresqlPassword, forceWrites);
    }

    public PersistenceSettings withPostgresql(String url, String user, String password) {
        return new PersistenceSettings(Journal.POSTGRESQL, dataDirectory, snapshotEveryEvents, keepSnapshots, url, user,
                password, forceWrites);
    }

    public PersistenceSettings withSnapshotEveryEvents(int events) {
        return new PersistenceSettings(journal, dataDirectory, events, keepSnapshots, postgresqlUrl, postgresqlUser,
                postgresqlPassword, forceWrites);
    }

    public PersistenceSettings withForceWrites(boolean force) {
        return new PersistenceSettings(journal, dataDirectory, snapshotEveryEvents, keepSnapshots, postgresqlUrl,
                postgresqlUser, postgresqlPassword, force);
    }

    @Override
    public String toString() {
        // The password stays out of logs.
        return "PersistenceSettings[journal=" + journal.configName() + ", dataDirectory=" + dataDirectory
                + ", snapshotEveryEvents=" + snapshotEveryEvents + ", keepSnapshots=" + keepSnapshots
                + ", postgresqlUrl=" + postgresqlUrl + ", postgresqlUser=" + postgresqlUser + ", forceWrites=" + forceWrites
                + "]";
    }
}
