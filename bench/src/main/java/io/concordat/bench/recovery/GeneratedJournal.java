package io.concordat.bench.recovery;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * The layout of a generated journal directory, the one a node with {@code data-directory = DIR} uses:
 * {@code DIR/replica-0/journal.mv.db}, and beside it {@code DIR/journal.properties}, what replica 0 had
 * executed when the journal was written (for checking the recovered replica) and the journal's size.
 */
final class GeneratedJournal {
    private static final String PROPERTIES = "journal.properties";

    private GeneratedJournal() {}

    /** What {@code JdbcJournalConfig.h2} takes; H2 adds {@code .mv.db}. */
    static Path databaseFile(Path directory) {
        return directory.resolve("replica-" + RecoveryCluster.RECOVERING_REPLICA).resolve("journal");
    }

    static void save(Path directory, Properties properties) throws IOException {
        try (Writer writer = Files.newBufferedWriter(directory.resolve(PROPERTIES))) {
            properties.store(writer, "replica 0's journal, written by RecoveryTime generate");
        }
    }

    static Properties load(Path directory) throws IOException {
        var properties = new Properties();
        try (Reader reader = Files.newBufferedReader(directory.resolve(PROPERTIES))) {
            properties.load(reader);
        }
        return properties;
    }
}
