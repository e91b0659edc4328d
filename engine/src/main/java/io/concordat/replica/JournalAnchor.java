package io.concordat.replica;

import io.concordat.persistence.H2Checkpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The highest journal sequence number this replica has written, kept in a small file beside the journal.
 *
 * <p>A journal can come back shorter than it was without reporting any damage: H2 opens a file cut short
 * by falling back to an older version of its data, or to none at all, and a database restored from an old
 * backup looks healthy too. A replica that recovered from such a journal would have forgotten messages it
 * sent and could contradict them (PBFT §4.2 assumes a correct replica remembers). The anchor is written
 * after every journal write, so after any crash the journal reaches at least the anchor; a journal that
 * does not makes the replica refuse to start.
 *
 * <p>The anchor is a separate file so that it is not rolled back with the database. For an H2 journal the
 * anchor first checkpoints the database ({@link H2Checkpoint}): H2 never forces its file on commit (strace:
 * a dozen fsyncs for a thousand commits), so with {@code force-writes} the checkpoint forces the file and a
 * power loss cannot take back events whose messages were sent. (The events the crash campaign saw H2 lose
 * on SIGKILL were in the file; {@link io.concordat.persistence.H2CrashRecovery} makes H2 find them.) The anchor itself is not forced:
 * after a power loss it may be older than the journal, which is harmless since the check is "at least".
 * A server journal (PostgreSQL) forces its own commits. Format: the sequence number (8 bytes, big-endian)
 * and a CRC-32C of it (4 bytes).
 */
final class JournalAnchor implements AutoCloseable {
    private static final int LENGTH = Long.BYTES + Integer.BYTES;

    private final Path file;
    private final FileChannel channel;
    private final java.util.Optional<H2Checkpoint> journalCheckpoint;
    private final OptionalLong recorded;
    private final ByteBuffer buffer = ByteBuffer.allocate(LENGTH);
    private long anchored;

    private JournalAnchor(Path file, FileChannel channel, OptionalLong recorded,
            java.util.Optional<H2Checkpoint> journalCheckpoint) {
        this.file = file;
        this.channel = channel;
        this.journalCheckpoint = journalCheckpoint;
        this.recorded = recorded;
        this.anchored = recorded.orElse(0);
    }

    /** Opens or creates the anchor file; a damaged one is refused with a message that says what to do. */
    static JournalAnchor open(Path file) {
        return open(file, java.util.Optional.empty());
    }

    /**
     * Opens or creates the anchor file of a journal that {@code journalCheckpoint} checkpoints before the
     * anchor moves; the anchor closes it.
     */
    static JournalAnchor open(Path file, java.util.Optional<H2Checkpoint> journalCheckpoint) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            boolean existed = Files.exists(file);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                OptionalLong recorded = existed ? OptionalLong.of(read(file, channel)) : OptionalLong.empty();
                return new JournalAnchor(file, channel, recorded, journalCheckpoint);
            } catch (RuntimeException damaged) {
                channel.close();
                throw damaged;
            }
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot open the journal anchor " + file + ": " + failure.getMessage(),
                    failure);
        }
    }

    private static long read(Path file, FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(LENGTH + 1);
        while (content.hasRemaining() && channel.read(content, content.position()) > 0) {
            // read until the buffer is full or the file ends
        }
        content.flip();
        if (content.remaining() != LENGTH) {
            throw new IllegalStateException("the journal anchor " + file + " is damaged: it holds " + content.remaining()
                    + " bytes, not " + LENGTH + ". Wipe this replica's data directory and let state transfer rebuild "
                    + "it from the other replicas.");
        }
        long sequenceNumber = content.getLong();
        int checksum = content.getInt();
        if (checksum != checksumOf(sequenceNumber) || sequenceNumber < 0) {
            throw new IllegalStateException("the journal anchor " + file + " is damaged: its checksum does not match. "
                    + "Wipe this replica's data directory and let state transfer rebuild it from the other replicas.");
        }
        return sequenceNumber;
    }

    /** The sequence number found in the file when it was opened; empty for a new file. */
    OptionalLong recorded() {
        return recorded;
    }

    Path file() {
        return file;
    }

    /**
     * The reason to refuse a journal whose highest sequence number after recovery is {@code journalHighest},
     * if it is below what this replica is known to have written.
     */
    java.util.Optional<String> checkJournal(long journalHighest) {
        if (journalHighest >= anchored) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("its journal ends at event " + journalHighest + " but it had written up to event "
                + anchored + " (recorded in " + file + "): the journal was cut short, rolled back or replaced, and "
                + "a replica that forgot what it sent could contradict it; wipe this replica's data directory and "
                + "let state transfer rebuild it from the other replicas.");
    }

    /**
     * Records that the journal now reaches {@code sequenceNumber}, after checkpointing the journal if it
     * needs it; never moves back. Call it after every journal write and before anything that depends on
     * the write leaves the replica.
     */
    void advance(long sequenceNumber) {
        if (sequenceNumber <= anchored) {
            return;
        }
        journalCheckpoint.ifPresent(H2Checkpoint::checkpoint);
        buffer.clear();
        buffer.putLong(sequenceNumber).putInt(checksumOf(sequenceNumber)).flip();
        try {
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
        } catch (IOException failure) {
            throw new UncheckedIOException("cannot write the journal anchor " + file + ": " + failure.getMessage(),
                    failure);
        }
        anchored = sequenceNumber;
    }

    private static int checksumOf(long sequenceNumber) {
        var crc = new CRC32C();
        crc.update(ByteBuffer.allocate(Long.BYTES).putLong(0, sequenceNumber));
        return (int) crc.getValue();
    }

    @Override
    public void close() {
        journalCheckpoint.ifPresent(H2Checkpoint::close);
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a file opened for small positional writes; nothing is lost.
        }
    }
}
