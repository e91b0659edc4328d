package io.concordat.cli;

import java.util.Objects;
import java.util.Optional;

/** What asking one replica's admin endpoint for its status found. */
sealed interface ReplicaProbe {
    int replicaId();

    /** The replica answered with its status. */
    record Serving(int replicaId, long view, int primary, long lastExecutedSequence, long lowWatermark,
            long highWatermark, Optional<String> stableCheckpointDigest, int pendingRequests,
            Optional<String> applicationStateDigest) implements ReplicaProbe {
        public Serving {
            Objects.requireNonNull(stableCheckpointDigest, "stableCheckpointDigest");
            Objects.requireNonNull(applicationStateDigest, "applicationStateDigest");
        }
    }

    /** The admin endpoint answered, but the replica behind it did not (starting, or halted). */
    record NotServing(int replicaId, String reason) implements ReplicaProbe {
        public NotServing {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Nothing answered: the connection failed or timed out. */
    record Unreachable(int replicaId, String reason) implements ReplicaProbe {
        public Unreachable {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
