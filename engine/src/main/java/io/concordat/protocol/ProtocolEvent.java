package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Signed;
import java.util.List;
import java.util.Objects;

/**
 * A fact the replica must not forget across a crash. Each one is listed in {@link Ready#persist()} and
 * must be durable before any message in the same {@link Ready} is sent: a replica that forgot a prepare
 * it sent could later send a conflicting one, which PBFT's safety argument (§4.2) does not allow.
 */
public sealed interface ProtocolEvent {

    /** The replica accepted (as a backup) or sent (as the primary) this pre-prepare and batch. */
    record PrePrepareAccepted(Signed<PrePrepare> prePrepare, Batch batch) implements ProtocolEvent {
        public PrePrepareAccepted {
            Objects.requireNonNull(prePrepare, "prePrepare");
            Objects.requireNonNull(batch, "batch");
        }
    }

    record PrepareSent(Signed<Prepare> prepare) implements ProtocolEvent {
        public PrepareSent {
            Objects.requireNonNull(prepare, "prepare");
        }
    }

    /**
     * The batch prepared at this replica, with the certificate that proves it. A replica that forgot its
     * certificates could let a view change drop a committed batch (PBFT §4.4), so this is durable before the
     * commit it triggers is sent.
     */
    record Prepared(io.concordat.protocol.message.PreparedCertificate certificate) implements ProtocolEvent {
        public Prepared {
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    record CommitSent(Signed<Commit> commit) implements ProtocolEvent {
        public CommitSent {
            Objects.requireNonNull(commit, "commit");
        }
    }

    /** The batch at this sequence number is committed-local: safe to execute and to remember as decided. */
    record BatchCommitted(long sequence, long view, Digest batchDigest) implements ProtocolEvent {
        public BatchCommitted {
            Objects.requireNonNull(batchDigest, "batchDigest");
        }
    }

    /** The replica moved to a new view and sent this VIEW-CHANGE; it will not accept messages of older views. */
    record ViewChangeSent(Signed<io.concordat.protocol.message.ViewChange> viewChange) implements ProtocolEvent {
        public ViewChangeSent {
            Objects.requireNonNull(viewChange, "viewChange");
        }
    }

    /** The replica entered the view of this NEW-VIEW (as its primary, it sent it). */
    record NewViewAccepted(Signed<io.concordat.protocol.message.NewView> newView) implements ProtocolEvent {
        public NewViewAccepted {
            Objects.requireNonNull(newView, "newView");
        }
    }

    /**
     * State transfer installed the state at this checkpoint, replacing the application's and the sessions'.
     * The state itself is not in the event (it can be large): the shell saves a snapshot right after it. A
     * replica that crashed before that snapshot finds the proof here on recovery and fetches the state again.
     */
    record StateTransferred(long sequence, Digest stateDigest, List<Signed<Checkpoint>> proof) implements ProtocolEvent {
        public StateTransferred {
            Objects.requireNonNull(stateDigest, "stateDigest");
            proof = List.copyOf(proof);
        }
    }

    /**
     * The replicated state at the stable checkpoint, with its proof: the first event of a compacted history
     * ({@link PbftReplica#compactedHistory()}), which a shell saves as its snapshot so that the journal
     * before it can be deleted.
     *
     * @param state the application snapshot and the client sessions, as state transfer ships them
     */
    record CheckpointStateRecorded(long sequence, Digest stateDigest, List<Signed<Checkpoint>> proof,
            io.concordat.common.Bytes state) implements ProtocolEvent {
        public CheckpointStateRecorded {
            Objects.requireNonNull(stateDigest, "stateDigest");
            Objects.requireNonNull(state, "state");
            proof = List.copyOf(proof);
        }
    }

    record CheckpointSent(Signed<Checkpoint> checkpoint) implements ProtocolEvent {
        public CheckpointSent {
            Objects.requireNonNull(checkpoint, "checkpoint");
        }
    }

    /** A checkpoint became stable with this proof of 2f+1 matching messages; the log below it is gone. */
    record CheckpointStabilized(long sequence, Digest stateDigest, List<Signed<Checkpoint>> proof)
            implements ProtocolEvent {
        public CheckpointStabilized {
            Objects.requireNonNull(stateDigest, "stateDigest");
            proof = List.copyOf(proof);
        }
    }
}
