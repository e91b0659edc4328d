package io.concordat.protocol;

import io.concordat.crypto.Digest;
import java.util.Objects;

/** Checkpoint progress the shell acts on: snapshots to keep and snapshots it may now discard. */
public sealed interface CheckpointNotice {

    /**
     * This replica computed its checkpoint at {@code sequence}; the shell keeps the application snapshot
     * it took at that sequence until a later checkpoint becomes stable.
     */
    record Taken(long sequence, Digest stateDigest) implements CheckpointNotice {
        public Taken {
            Objects.requireNonNull(stateDigest, "stateDigest");
        }
    }

    /**
     * The checkpoint at {@code sequence} is stable (2f+1 matching messages, PBFT §4.3). The log up to it
     * was garbage-collected and snapshots of earlier sequences may be discarded.
     */
    record Stable(long sequence, Digest stateDigest) implements CheckpointNotice {
        public Stable {
            Objects.requireNonNull(stateDigest, "stateDigest");
        }
    }
}
