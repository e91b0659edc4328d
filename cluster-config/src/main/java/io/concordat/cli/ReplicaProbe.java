package io.concordat.cli;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/** What asking one replica's admin endpoint for its status found. */
public sealed interface ReplicaProbe {
    int replicaId();

    /**
     * The replica answered with its status. {@code applicationStateDigest} is the application's state digest
     * after sequence number {@code applicationStateSequence} (read together, so they belong together; the
     * replica may have executed further by the time {@code lastExecutedSequence} was read, or the reverse).
     */
    record Serving(int replicaId, long view, int primary, long lastExecutedSequence, long lowWatermark,
            long highWatermark, Optional<String> stableCheckpointDigest, int pendingRequests,
            Optional<String> applicationStateDigest, OptionalLong applicationStateSequence) implements ReplicaProbe {
        public Serving {
            Objects.requireNonNull(stableCheckpointDigest, "stableCheckpointDigest");
            Objects.requireNonNull(applicationStateDigest, "applicationStateDigest");
            Objects.requireNonNull(applicationStateSequence, "applicationStateSequence");
            if (applicationStateDigest.isPresent() != applicationStateSequence.isPresent()) {
                throw new IllegalArgumentException("the application state digest and its sequence come together");
            }
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
