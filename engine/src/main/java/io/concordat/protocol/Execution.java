package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Signed;
import java.util.List;
import java.util.Objects;

/** Work the core hands to the application. The shell answers each with an {@link Input}. */
public sealed interface Execution {

    /**
     * Execute a committed batch, strictly in sequence order, then answer with {@link Input.Executed}.
     * {@code requests} already excludes requests that exactly-once semantics say must not run again.
     *
     * @param batch the whole agreed batch, as ordered, for embedders that consume the committed log
     * @param commitCertificate the verified COMMIT messages the core counted for this batch: 2f+1 of them
     *     normally, fewer after recovery or when the batch committed in an earlier view
     * @param checkpointDue the sequence is a checkpoint: after executing, report the application's state
     *     digest and keep a snapshot of the state as of this sequence (PBFT §4.3)
     */
    record ExecuteBatch(long sequence, long view, Digest batchDigest, io.concordat.protocol.message.Batch batch,
            List<Signed<ClientRequest>> requests, List<Signed<io.concordat.protocol.message.Commit>> commitCertificate,
            boolean checkpointDue) implements Execution {
        public ExecuteBatch {
            Objects.requireNonNull(batchDigest, "batchDigest");
            Objects.requireNonNull(batch, "batch");
            requests = List.copyOf(requests);
            commitCertificate = List.copyOf(commitCertificate);
        }
    }

    /**
     * Replace the application's whole state with {@code applicationSnapshot}, fetched by state transfer, then
     * answer with {@link Input.SnapshotRestored} (and the new state digest) or {@link Input.SnapshotRejected}.
     */
    record RestoreSnapshot(long sequence, io.concordat.common.Bytes applicationSnapshot) implements Execution {
        public RestoreSnapshot {
            Objects.requireNonNull(applicationSnapshot, "applicationSnapshot");
        }
    }

    /** Run a read-only request against the current state without ordering it (PBFT §5.1.3). */
    record ExecuteReadOnly(Signed<ClientRequest> request) implements Execution {
        public ExecuteReadOnly {
            Objects.requireNonNull(request, "request");
        }
    }
}
