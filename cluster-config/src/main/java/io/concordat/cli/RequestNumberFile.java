package io.concordat.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request numbers of one client key across CLI invocations: replicas remember each client's last
 * request number for ever and refuse a lower one (docs/client-protocol.md §5), so each invocation must
 * start above every number an earlier one used.
 *
 * <p>The file sits next to the key ({@code keys/client-local.seq} for {@code keys/client-local.key}) and
 * holds one decimal number and a newline: the highest request number handed out so far. {@link #acquire}
 * locks the file (an exclusive {@code FileLock}, and a lock per file inside this JVM) for as long as the
 * lease is open, so two invocations with the same key never have requests outstanding at once, which PBFT
 * does not allow for one client. A lease reserves {@link #BLOCK} numbers and records the end of the block
 * before any request is sent, so a crash can skip numbers but never reuse one (gaps are allowed).
 *
 * <p>The first number is also at least the current time in microseconds since the epoch: a lost or
 * deleted file then still yields numbers above any used in the past (unless the clock went back).
 */
public final class RequestNumberFile {
    /** How many numbers one lease reserves; a CLI invocation uses one or two (a read may fall back). */
    public static final long BLOCK = 16;
    public static final String SUFFIX = ".seq";
    private static final int FILE_BYTES_MAX = 64;
    private static final Map<Path, ReentrantLock> IN_PROCESS_LOCKS = new ConcurrentHashMap<>();

    private RequestNumberFile() {}

    /** {@code keys/client-local.key} gives {@code keys/client-local.seq}. */
    public static Path forKey(Path privateKeyFile) {
        String name = privateKeyFile.getFileName().toString();
        String stem = name.endsWith(".key") ? name.substring(0, name.length() - ".key".length()) : name;
        return privateKeyFile.resolveSibling(stem + SUFFIX);
    }

    /** An open reservation; close it when the invocation's requests are done. */
    public static final class Lease implements AutoCloseable {
        private final long firstRequestNumber;
        private final FileChannel channel;
        private final FileLock lock;
        private final ReentrantLock inProcess;

        private Lease(long firstRequestNumber, FileChannel channel, FileLock lock, ReentrantLock inProcess) {
            this.firstRequestNumber = firstRequestNumber;
            this.channel = channel;
            this.lock = lock;
            this.inProcess = inProcess;
        }

        /** The number the client's first request of this invocation must carry. */
        public long firstRequestNumber() {
            return firstRequestNumber;
        }

        /** The last number this lease may use. */
        public long lastRequestNumber() {
            return firstRequestNumber + BLOCK - 1;
        }

        @Override
        public void close() {
            try {
                lock.release();
                channel.close();
            } catch (IOException ignored) {
                // Closing the channel releases the lock in any case.
            } finally {
                inProcess.unlock();
            }
        }
    }

    /** Waits for the file's lock, then reserves the next block of request numbers. */
    public static Lease acquire(Path file, Clock clock) {
        Path absolute = file.toAbsolutePath().normalize();
        ReentrantLock inProcess = IN_PROCESS_LOCKS.computeIfAbsent(absolute, path -> new ReentrantLock());
        inProcess.lock();
        FileChannel channel = null;
        try {
            channel = FileChannel.open(absolute, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.lock();
            long highestUsed = read(channel, absolute);
            long first = Math.max(highestUsed + 1, microsecondsSinceEpoch(clock));
            long last = Math.addExact(first, BLOCK - 1);
            write(channel, last);
            return new Lease(first, channel, lock, inProcess);
        } catch (IOException e) {
            closeQuietly(channel);
            inProcess.unlock();
            throw new CliException("cannot use the request number file " + absolute + ": " + e.getMessage());
        } catch (RuntimeException e) {
            closeQuietly(channel);
            inProcess.unlock();
            throw e;
        }
    }

    private static long read(FileChannel channel, Path file) throws IOException {
        if (channel.size() > FILE_BYTES_MAX) {
            throw corrupt(file, "it is larger than " + FILE_BYTES_MAX + " bytes");
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) channel.size());
        channel.position(0);
        while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
            // Reads until the buffer is full; the file is tiny.
        }
        String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
        if (text.isEmpty()) {
            return 0;
        }
        try {
            long value = Long.parseLong(text);
            if (value < 0) {
                throw corrupt(file, "it holds a negative number");
            }
            return value;
        } catch (NumberFormatException e) {
            throw corrupt(file, "it does not hold a decimal number");
        }
    }

    private static void write(FileChannel channel, long highestReserved) throws IOException {
        byte[] text = (highestReserved + "\n").getBytes(StandardCharsets.US_ASCII);
        channel.truncate(0);
        channel.position(0);
        ByteBuffer buffer = ByteBuffer.wrap(text);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(true);
    }

    private static long microsecondsSinceEpoch(Clock clock) {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000L), now.getNano() / 1_000L);
    }

    private static CliException corrupt(Path file, String why) {
        return new CliException("the request number file " + file + " is corrupt: " + why + ". It should hold one"
                + " number, the highest request number used with this client key; delete it to start from the"
                + " current time in microseconds");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // Nothing more to do.
            }
        }
    }
}
