package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PersistenceSettingsTest {

    private static ReplicaSettings read(String settings) {
        return ReplicaSettings.fromConfig(ConfigFactory.parseString(settings)
                .withFallback(ConfigFactory.defaultReference()));
    }

    private static String failure(String settings) {
        return assertThrows(IllegalArgumentException.class, () -> read(settings)).getMessage();
    }

    @Test
    void theLibraryDefaultIsInMemoryWithCheckpointAndCountSnapshots() {
        PersistenceSettings defaults = ReplicaSettings.defaults().persistence();
        assertEquals(PersistenceSettings.Journal.IN_MEMORY, defaults.journal());
        assertEquals(Optional.empty(), defaults.dataDirectory());
        assertEquals(2000, defaults.snapshotEveryEvents());
        assertEquals(2, defaults.keepSnapshots());
    }

    @Test
    void theH2JournalLivesUnderTheDataDirectory() {
        PersistenceSettings h2 = read("concordat.replica.persistence { journal = h2, data-directory = \"/var/concordat\" }")
                .persistence();
        assertEquals(PersistenceSettings.Journal.H2, h2.journal());
        assertEquals(Path.of("/var/concordat/replica-2/journal"), ReplicaNode.h2File(h2, 2));
        String url = ReplicaNode.journalConfig(new ReplicaNodeConfiguration(2, LocalClusterFixture.membership(),
                LocalClusterFixture.addresses(), LocalCluster.PROTOCOL, ReplicaSettings.defaults().withPersistence(h2)))
                .getString("pekko-persistence-jdbc.shared-databases.concordat.db.url");
        assertEquals("jdbc:h2:file:/var/concordat/replica-2/journal;DATABASE_TO_UPPER=false;WRITE_DELAY=0", url);
    }

    @Test
    void mistakesFailAndNameTheKey() {
        assertTrue(failure("concordat.replica.persistence.journal = sqlite")
                .contains("concordat.replica.persistence.journal must be one of in-memory, h2, postgresql"));
        assertTrue(failure("concordat.replica.persistence.journal = h2")
                .contains("concordat.replica.persistence.data-directory must be set"));
        assertTrue(failure("concordat.replica.persistence.keep-snapshots = 0")
                .contains("concordat.replica.persistence.keep-snapshots must be at least 1"));
        assertTrue(failure("concordat.replica.persistence { journal = postgresql, postgresql.url = \"jdbc:h2:mem:x\" }")
                .contains("concordat.replica.persistence.postgresql.url must be a jdbc:postgresql: URL"));
        assertTrue(failure("concordat.replica.persistence.snapshot-every = 5")
                .contains("concordat.replica.persistence.snapshot-every"));
    }

    @Test
    void thePasswordStaysOutOfTheDescription() {
        PersistenceSettings postgresql = ReplicaSettings.defaults().persistence()
                .withPostgresql("jdbc:postgresql://db/concordat", "replica", "very-secret");
        assertFalse(postgresql.toString().contains("very-secret"));
    }
}
