package io.concordat.protocol;

import io.concordat.crypto.Digest;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only summary of one replica, for status endpoints, tests and the simulator's checkers.
 *
 * @param lowWatermark h: the sequence number of the last stable checkpoint
 * @param highWatermark h + L
 * @param stableCheckpointDigest the state digest of the last stable checkpoint, empty before the first
 * @param pendingRequests client requests held but not yet ordered
 * @param dropCounts how many inputs were dropped, by reason, since the replica started
 */
public record ReplicaStatus(
        int replicaId,
        long view,
        int primary,
        long lastExecutedSequence,
        long lowWatermark,
        long highWatermark,
        Optional<Digest> stableCheckpointDigest,
        int pendingRequests,
        Map<DropReason, Long> dropCounts) {
    public ReplicaStatus {
        dropCounts = Map.copyOf(dropCounts);
    }
}
