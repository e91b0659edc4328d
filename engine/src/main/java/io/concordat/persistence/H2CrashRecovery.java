package io.concordat.persistence;

import java.nio.file.Files;
import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/**
 * Finds the commits that H2 2.x would forget when it opens a journal file after a crash, and makes H2 open
 * them. Runs before anything else opens the file.
 *
 * <p>Why this is needed. H2 stores each commit as a new chunk of its MVStore file and, after an unclean
 * shutdown, finds the newest chunk by starting at the chunk named in the file header and following each
 * chunk's prediction of where the next one goes ({@code next}). When a chunk lands elsewhere (in space freed
 * by deleted rows), H2 rewrites the header, but with the chunk written before it: {@code FileStore.storeBuffer}
 * updates its last chunk only after {@code writeChunk} has written the header. The chain from the header then
 * stops short of the new chunk, and every commit stored after it until H2 next rewrites the header (up to
 * about twenty store versions) is invisible at the next open, although its bytes are in the file. H2 2.3.232
 * and 2.5.252 (the newest on Maven Central) both do this. Found with the process crash campaign: in
 * every H2 run a SIGKILLed replica reopened its journal one to ten events short, and the journal anchor
 * refused it. The journal's deletions below a snapshot free the space that H2 then reuses.
 *
 * <p>What it does. A file whose header says H2 closed it is left alone. Otherwise it opens the file twice,
 * read-only: as H2 would (the header chain), and in H2's own recovery mode, which reads every chunk in the file and takes the newest version whose chunks are all
 * present and intact (checksums in each chunk's header and footer). Only if recovery mode finds a newer
 * version does it open the file once more, writable, in recovery mode, and close it cleanly, which makes H2
 * write a header naming that version. A file that H2 opens whole, a missing file and an unreadable file are
 * left untouched (the caller's open reports an unreadable one).
 *
 * <p>What it assumes. Versions only grow in one file, so the newest intact version is the last commit. That
 * holds as long as no open of the file ever started from an older version and wrote after it, which is what
 * running this before every open ensures; the {@link io.concordat.replica.JournalAnchor} still checks the
 * result.
 */
public final class H2CrashRecovery {

    /**
     * What {@link #recover} found.
     *
     * @param headerVersion the store version H2 opens by following its header ({@code -1}: no file or unreadable)
     * @param recoveredVersion the store version H2 opens after this recovery
     */
    public record Outcome(long headerVersion, long recoveredVersion) {
        static final Outcome NOTHING = new Outcome(-1, -1);

        /** True if H2 would have opened an older version than the file holds, and now opens the newest. */
        public boolean recoveredCommits() {
            return recoveredVersion > headerVersion;
        }
    }

    private H2CrashRecovery() {}

    /**
     * Makes the journal in {@code databaseFile} (the path without {@code .mv.db}) open at its newest intact
     * version.
     *
     * @throws IllegalStateException if a recovery was needed and H2 still opens an older version after it
     */
    public static Outcome recover(Path databaseFile) {
        Path file = storeFile(databaseFile);
        if (!Files.isRegularFile(file)) {
            return Outcome.NOTHING;
        }
        long headerVersion;
        long newestVersion;
        try {
            Opened byHeader = open(file, false);
            headerVersion = byHeader.version();
            if (byHeader.closedCleanly()) {
                // H2 closed it and wrote a header naming its last chunk; no commit can be out of reach.
                return new Outcome(headerVersion, headerVersion);
            }
            newestVersion = openedVersion(file, true);
        } catch (RuntimeException unreadable) {
            // The caller's open of the database reports what is wrong with the file and how to recover.
            return Outcome.NOTHING;
        }
        if (newestVersion <= headerVersion) {
            return new Outcome(headerVersion, headerVersion);
        }
        // Closing a writable store writes a clean header that names its last chunk.
        new MVStore.Builder().fileName(file.toString()).recoveryMode().open().close();
        long reopenedVersion = openedVersion(file, false);
        if (reopenedVersion < newestVersion) {
            throw new IllegalStateException("the H2 journal " + file.toAbsolutePath() + " holds commits up to store "
                    + "version " + newestVersion + " but H2 still opens it at version " + reopenedVersion + " after "
                    + "a recovery; do not start this replica from it: wipe this replica's data directory and let "
                    + "state transfer rebuild it from the other replicas.");
        }
        return new Outcome(headerVersion, reopenedVersion);
    }

    /** The store version H2 opens the file at: by its header chain, or in recovery mode by scanning every chunk. */
    static long openedVersion(Path file, boolean scanEveryChunk) {
        return open(file, scanEveryChunk).version();
    }

    /** What a read-only open found: the store version, and whether the header says H2 closed the file. */
    private record Opened(long version, boolean closedCleanly) {}

    private static Opened open(Path file, boolean scanEveryChunk) {
        MVStore.Builder builder = new MVStore.Builder().fileName(file.toString()).readOnly();
        if (scanEveryChunk) {
            builder.recoveryMode();
        }
        MVStore store = builder.open();
        try {
            // H2 writes "clean" (hex 1) into the header when it closes the file and removes it at the next write.
            Object clean = store.getStoreHeader().get("clean");
            return new Opened(store.getCurrentVersion(), clean != null && !"0".equals(clean.toString()));
        } finally {
            store.closeImmediately();
        }
    }

    static Path storeFile(Path databaseFile) {
        return databaseFile.resolveSibling(databaseFile.getFileName() + ".mv.db");
    }
}
