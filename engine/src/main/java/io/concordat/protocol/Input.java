package io.concordat.protocol;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Signed;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Everything that drives the core. {@link PbftReplica#step(Input)} is the only entry point. */
public sealed interface Input {

    /** An envelope that arrived from the network, from a replica or a client. Nothing about it is trusted yet. */
    record Receive(Envelope envelope) implements Input {
        public Receive {
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /**
     * The shell executed the batch at {@code sequence} that a {@link Execution.ExecuteBatch} asked for.
     *
     * @param results one result per executed request, in the batch's order
     * @param applicationStateDigest the application's state digest after this batch; required when the
     *     batch was marked {@code checkpointDue}, empty otherwise
     * @param applicationSnapshot the application's snapshot after this batch, exactly when the digest is
     *     given: the core keeps it to serve state transfer
     */
    record Executed(long sequence, List<Bytes> results, Optional<Digest> applicationStateDigest,
            Optional<Bytes> applicationSnapshot) implements Input {
        public Executed {
            results = List.copyOf(results);
            Objects.requireNonNull(applicationStateDigest, "applicationStateDigest");
            Objects.requireNonNull(applicationSnapshot, "applicationSnapshot");
        }

        /** A batch that is not at a checkpoint: no digest, no snapshot. */
        public Executed(long sequence, List<Bytes> results) {
            this(sequence, results, Optional.empty(), Optional.empty());
        }
    }

    /** The application restored the snapshot a {@link Execution.RestoreSnapshot} carried; its digest now. */
    record SnapshotRestored(long sequence, Digest applicationStateDigest) implements Input {
        public SnapshotRestored {
            Objects.requireNonNull(applicationStateDigest, "applicationStateDigest");
        }
    }

    /** The application refused the snapshot (it threw while restoring); the reason is its message. */
    record SnapshotRejected(long sequence, String reason) implements Input {
        public SnapshotRejected {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The shell ran a read-only request that a {@link Execution.ExecuteReadOnly} asked for. */
    record ReadOnlyExecuted(Signed<ClientRequest> request, Bytes result) implements Input {
        public ReadOnlyExecuted {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(result, "result");
        }
    }

    /**
     * A hint from the membership layer (Pekko Cluster) that a replica looks unreachable or reachable again.
     * It never counts as evidence: it only shortens how long this replica waits before suspecting a primary.
     */
    record PeerReachability(int replicaId, boolean reachable) implements Input {}

    /** One unit of logical time has passed. */
    record Tick() implements Input {}
}
