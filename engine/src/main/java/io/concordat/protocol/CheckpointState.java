package io.concordat.protocol;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import java.util.Arrays;
import java.util.Optional;

/**
 * The replicated state at a checkpoint, as one byte string that state transfer ships in chunks: a format
 * tag, the application's snapshot, and the client sessions. Its digest is the checkpoint's state digest,
 * H(application digest, sessions digest), which the receiver recomputes after restoring.
 */
record CheckpointState(long sequence, Digest stateDigest, Bytes encoded) {
    private static final int FORMAT = 0x43534331; // "CSC1"

    /**
     * The state digest of a checkpoint: the application's digest and the client sessions' (the last-reply
     * table is part of the replicated state, PBFT §4.3). Taking a checkpoint, checking a transferred state
     * and checking a recovered state must all compute exactly this.
     */
    static Digest stateDigest(Digest applicationStateDigest, ClientSessions sessions) {
        return io.concordat.crypto.Sha256.builder().putDigest(applicationStateDigest).putDigest(sessions.digest())
                .build();
    }

    static Bytes encode(Bytes applicationSnapshot, Bytes sessions) {
        byte[] out = new byte[4 + 8 + applicationSnapshot.size() + sessions.size()];
        int offset = BinaryCoding.putInt(out, 0, FORMAT);
        offset = BinaryCoding.putLong(out, offset, applicationSnapshot.size());
        System.arraycopy(applicationSnapshot.unsafeArray(), 0, out, offset, applicationSnapshot.size());
        offset += applicationSnapshot.size();
        System.arraycopy(sessions.unsafeArray(), 0, out, offset, sessions.size());
        return Bytes.wrap(out);
    }

    /** The application snapshot and the sessions, or empty if the bytes are not a state in this format. */
    static Optional<Bytes[]> decode(Bytes encoded) {
        byte[] in = encoded.unsafeArray();
        if (in.length < 12 || BinaryCoding.getInt(in, 0) != FORMAT) {
            return Optional.empty();
        }
        long applicationLength = BinaryCoding.getLong(in, 4);
        if (applicationLength < 0 || applicationLength > in.length - 12) {
            return Optional.empty();
        }
        int applicationEnd = 12 + (int) applicationLength;
        return Optional.of(new Bytes[] {
                Bytes.wrap(Arrays.copyOfRange(in, 12, applicationEnd)),
                Bytes.wrap(Arrays.copyOfRange(in, applicationEnd, in.length))});
    }

    /** The chunk at {@code index} when the state is cut into chunks of {@code chunkBytes}. */
    Bytes chunk(int index, int chunkBytes) {
        int start = (int) Math.min((long) index * chunkBytes, encoded.size());
        int end = (int) Math.min((long) start + chunkBytes, encoded.size());
        return Bytes.copyOf(encoded.unsafeArray(), start, end - start);
    }

    int chunkCount(int chunkBytes) {
        return Math.max(1, (int) ((encoded.size() + (long) chunkBytes - 1) / chunkBytes));
    }
}
