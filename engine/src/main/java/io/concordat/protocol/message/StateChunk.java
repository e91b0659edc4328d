package io.concordat.protocol.message;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import java.util.Objects;

/**
 * One chunk of a replica's state at a checkpoint. The receiver cannot check a chunk alone; it checks the
 * whole state against the certified digest once every chunk is in, and tries another replica if it does
 * not match. The signature makes a bad chunk attributable to its sender.
 */
public record StateChunk(long sequence, Digest stateDigest, int chunkIndex, int chunkCount, Bytes data, int replicaId)
        implements ReplicaMessage {
    public StateChunk {
        Objects.requireNonNull(stateDigest, "stateDigest");
        Objects.requireNonNull(data, "data");
        if (chunkCount < 1 || chunkIndex < 0 || chunkIndex >= chunkCount) {
            throw new IllegalArgumentException("chunk " + chunkIndex + " of " + chunkCount + " is not a valid chunk");
        }
    }
}
