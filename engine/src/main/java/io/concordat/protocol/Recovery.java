package io.concordat.protocol;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rebuilds a replica from the events it persisted, after a crash. Replaying an event repeats the state
 * change that produced it and nothing else: no message is sent and nothing is executed during replay. The
 * result is a replica that remembers every pre-prepare it accepted, every prepare, commit, checkpoint and
 * VIEW-CHANGE it sent and every certificate it held, so it can never contradict what it said before the
 * crash (PBFT's safety argument assumes exactly that, §4.2 and §4.4).
 *
 * <p>Afterwards the application is restored from the state at the stable checkpoint (if there is one) and
 * every batch committed above it is executed again. Execution is deterministic, so the state comes back as
 * it was; replies go out again, which clients ignore as duplicates.
 *
 * <p>The inverse, {@link #compactedHistory()}, is the shortest list of events that rebuilds the replica as
 * it is now. A shell saves it as a snapshot at each stable checkpoint and deletes the journal before it,
 * so recovery time depends on the distance since the last checkpoint, not on the replica's age.
 */
final class Recovery {
    private final ReplicaContext context;
    private final NormalCase normalCase;
    private final CheckpointProtocol checkpointProtocol;
    private final ViewChangeProtocol viewChange;
    private final StateTransfer stateTransfer;
    private Optional<ProtocolEvent.CheckpointStateRecorded> restoring = Optional.empty();
    private final List<List<Signed<Checkpoint>>> transfersToResume = new ArrayList<>();

    Recovery(ReplicaContext context, NormalCase normalCase, CheckpointProtocol checkpointProtocol,
            ViewChangeProtocol viewChange, StateTransfer stateTransfer) {
        this.context = context;
        this.normalCase = normalCase;
        this.checkpointProtocol = checkpointProtocol;
        this.viewChange = viewChange;
        this.stateTransfer = stateTransfer;
    }

    /** Whether the application is being restored from the recovered checkpoint state. */
    boolean restoring() {
        return restoring.isPresent();
    }

    /**
     * Replays {@code events} into this fresh replica. Everything they would send is discarded; what the
     * replica must do afterwards (restore the application, execute again, resume a state transfer) is
     * added to the current step's output.
     */
    void replay(List<ProtocolEvent> events) {
        ReadyBuilder real = context.out;
        context.out = new ReadyBuilder();
        context.replaying = true;
        try {
            for (ProtocolEvent event : events) {
                apply(event);
            }
        } finally {
            context.replaying = false;
            context.out = real;
        }
        context.replayedBeyondWindow = context.log.highestSequence().orElse(0L) > context.highWatermark();
        restoring.ifPresent(recorded -> context.out.execute.add(new Execution.RestoreSnapshot(recorded.sequence(),
                CheckpointState.decode(recorded.state()).orElseThrow()[0])));
        transfersToResume.forEach(stateTransfer::begin);
        transfersToResume.clear();
    }

    private void apply(ProtocolEvent event) {
        if (event instanceof ProtocolEvent.CheckpointStateRecorded recorded) {
            applyCheckpointState(recorded);
        } else if (event instanceof ProtocolEvent.PrePrepareAccepted accepted) {
            applyPrePrepare(accepted.prePrepare(), accepted.batch());
        } else if (event instanceof ProtocolEvent.PrepareSent sent) {
            currentSlot(sent.prepare().body().view(), sent.prepare().body().sequence())
                    .ifPresent(slot -> slot.prepares.putIfAbsent(context.replicaId, sent.prepare()));
        } else if (event instanceof ProtocolEvent.Prepared prepared) {
            applyPrepared(prepared.certificate());
        } else if (event instanceof ProtocolEvent.CommitSent sent) {
            applyCommit(sent.commit());
        } else if (event instanceof ProtocolEvent.BatchCommitted committed) {
            context.recoveredCommitSequence = Math.max(context.recoveredCommitSequence, committed.sequence());
            currentSlot(committed.view(), committed.sequence())
                    .filter(slot -> slot.prePrepare().isPresent() && !slot.committed())
                    .ifPresent(Slot::markCommitted);
        } else if (event instanceof ProtocolEvent.CheckpointSent sent) {
            if (sent.checkpoint().body().sequence() > context.lowWatermark()) {
                context.checkpoints.add(sent.checkpoint());
            }
        } else if (event instanceof ProtocolEvent.CheckpointStabilized stabilized) {
            // Execution has not caught up yet during replay: keep the proof, and the checkpoint becomes
            // stable again when re-execution reaches it and this replica's own checkpoint matches.
            if (stabilized.sequence() > context.lowWatermark()) {
                context.checkpoints.addProof(stabilized.proof());
            }
        } else if (event instanceof ProtocolEvent.ViewChangeSent sent) {
            viewChange.restoreViewChange(sent.viewChange());
        } else if (event instanceof ProtocolEvent.NewViewAccepted accepted) {
            viewChange.restoreNewView(accepted.newView());
        } else if (event instanceof ProtocolEvent.StateTransferred transferred) {
            // The snapshot that should follow was not saved: fetch the state again.
            if (transferred.sequence() > context.lowWatermark()) {
                transfersToResume.add(transferred.proof());
            }
        } else {
            throw new IllegalArgumentException("no replay for " + event.getClass().getName());
        }
    }

    private void applyCheckpointState(ProtocolEvent.CheckpointStateRecorded recorded) {
        Optional<Bytes[]> parts = CheckpointState.decode(recorded.state());
        Optional<ClientSessions> sessions = parts.flatMap(found -> ClientSessions.decode(found[1]));
        if (sessions.isEmpty()) {
            throw new RecoveryException("the recorded state of checkpoint " + recorded.sequence() + " is corrupt");
        }
        if (recorded.sequence() > context.lowWatermark()) {
            context.checkpoints.stabilize(recorded.proof());
        }
        context.adoptCheckpointState(recorded.sequence(), sessions.get());
        stateTransfer.restoreOwnState(new CheckpointState(recorded.sequence(), recorded.stateDigest(),
                recorded.state()));
        restoring = Optional.of(recorded);
    }

    private void applyPrePrepare(Signed<PrePrepare> prePrepare, io.concordat.protocol.message.Batch batch) {
        PrePrepare body = prePrepare.body();
        Optional<Slot> slot = currentSlot(body.view(), body.sequence());
        if (slot.isEmpty()) {
            return;
        }
        if (slot.get().prePrepare().isEmpty()) {
            slot.get().acceptPrePrepare(prePrepare, Optional.of(batch));
        } else if (slot.get().batch().isEmpty()) {
            slot.get().attachBatch(batch);
        }
        normalCase.registerOrdered(batch);
        if (body.replicaId() == context.replicaId) {
            context.lastAssignedSequence = Math.max(context.lastAssignedSequence, body.sequence());
        }
    }

    private void applyPrepared(PreparedCertificate certificate) {
        Optional<Slot> slot = currentSlot(certificate.view(), certificate.sequence());
        context.preparedCertificates.record(certificate, slot.flatMap(Slot::batch));
        slot.filter(found -> found.prePrepare().isPresent()).ifPresent(found -> {
            for (Signed<Prepare> prepare : certificate.prepares()) {
                found.prepares.putIfAbsent(prepare.body().replicaId(), prepare);
            }
        });
    }

    private void applyCommit(Signed<Commit> commit) {
        currentSlot(commit.body().view(), commit.body().sequence()).ifPresent(slot -> {
            slot.commits.putIfAbsent(context.replicaId, commit);
            if (!slot.commitSent()) {
                slot.markCommitSent();
            }
        });
    }

    /**
     * The slot for a message of the current view above the stable checkpoint; messages of other views are
     * history. Unlike network input, the replica's own events are not held to the window: a journal that
     * reaches past several checkpoints (the crash came before a snapshot was saved) is replayed whole, and
     * the window catches up as re-execution makes those checkpoints stable again.
     */
    private Optional<Slot> currentSlot(long view, long sequence) {
        if (view != context.view || sequence <= context.lowWatermark()) {
            return Optional.empty();
        }
        return Optional.of(context.log.getOrCreate(sequence, view));
    }

    /** The application restored the recovered checkpoint state: it must hash to what was recorded. */
    void onSnapshotRestored(Input.SnapshotRestored restored) {
        ProtocolEvent.CheckpointStateRecorded recorded = restoring.orElseThrow();
        var digest = CheckpointState.stateDigest(restored.applicationStateDigest(), context.sessions);
        if (!digest.equals(recorded.stateDigest())) {
            throw new RecoveryException("the recorded state of checkpoint " + recorded.sequence()
                    + " restores to digest " + digest + ", not the certified " + recorded.stateDigest());
        }
        restoring = Optional.empty();
    }

    void onSnapshotRejected(Input.SnapshotRejected rejected) {
        throw new RecoveryException("the application refused the recorded state of checkpoint "
                + rejected.sequence() + ": " + rejected.reason());
    }

    /** The shortest event list that rebuilds this replica as it is now (see the class comment). */
    List<ProtocolEvent> compactedHistory() {
        List<ProtocolEvent> events = new ArrayList<>();
        long stable = context.lowWatermark();
        if (stable > 0) {
            CheckpointState state = stateTransfer.ownState(stable).orElseThrow(() -> new Invariants.InvariantViolation(
                    "no recorded state for the stable checkpoint " + stable));
            events.add(new ProtocolEvent.CheckpointStateRecorded(stable, state.stateDigest(),
                    context.checkpoints.stableProof(), state.encoded()));
        }
        viewChange.lastNewView().ifPresent(newView -> events.add(new ProtocolEvent.NewViewAccepted(newView)));
        List<ProtocolEvent> commits = new ArrayList<>();
        for (Slot slot : context.log.all()) {
            if (slot.prePrepare().isPresent() && slot.batch().isPresent()) {
                events.add(new ProtocolEvent.PrePrepareAccepted(slot.prePrepare().get(), slot.batch().get()));
            }
            Signed<Prepare> ownPrepare = slot.prepares.get(context.replicaId);
            if (ownPrepare != null) {
                events.add(new ProtocolEvent.PrepareSent(ownPrepare));
            }
            Signed<Commit> ownCommit = slot.commits.get(context.replicaId);
            if (ownCommit != null && slot.commitSent()) {
                commits.add(new ProtocolEvent.CommitSent(ownCommit));
            }
            if (slot.committed()) {
                commits.add(new ProtocolEvent.BatchCommitted(slot.sequence, slot.view, slot.batchDigest().orElseThrow()));
            }
        }
        for (PreparedCertificate certificate : context.preparedCertificates.above(stable)) {
            events.add(new ProtocolEvent.Prepared(certificate));
        }
        events.addAll(commits);
        for (Signed<Checkpoint> checkpoint : context.checkpoints.ownMessagesAbove(stable)) {
            events.add(new ProtocolEvent.CheckpointSent(checkpoint));
        }
        viewChange.ownViewChangeInProgress().ifPresent(own -> events.add(new ProtocolEvent.ViewChangeSent(own)));
        return events;
    }

    /** Recovery cannot continue: the persisted data is damaged. The message says what to do. */
    static final class RecoveryException extends IllegalStateException {
        RecoveryException(String problem) {
            super(problem + ". Refusing to start with partial state: wipe this replica's data directory and let "
                    + "state transfer rebuild it from the other replicas.");
        }
    }
}
