package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Signed;
import java.util.List;
import java.util.Optional;

/** Checkpoints, stable checkpoints, garbage collection and the watermarks (PBFT §4.3). */
final class CheckpointProtocol {
    private final ReplicaContext context;
    private final StateTransfer stateTransfer;

    CheckpointProtocol(ReplicaContext context, StateTransfer stateTransfer) {
        this.context = context;
        this.stateTransfer = stateTransfer;
    }

    /** Called after the batch at a checkpoint sequence executed, with the application's state digest and snapshot. */
    void take(long sequence, Digest applicationStateDigest, io.concordat.common.Bytes applicationSnapshot) {
        Digest stateDigest = CheckpointState.stateDigest(applicationStateDigest, context.sessions);
        Signed<Checkpoint> checkpoint = context.sign(new Checkpoint(sequence, stateDigest, context.replicaId));
        stateTransfer.recordOwnState(sequence, stateDigest, applicationSnapshot);
        context.checkpoints.add(checkpoint);
        context.persist(new ProtocolEvent.CheckpointSent(checkpoint));
        context.sendToAllReplicas(checkpoint);
        context.out.checkpoints.add(new CheckpointNotice.Taken(sequence, stateDigest));
        checkDivergence(sequence);
        stabilize();
    }

    void onCheckpoint(Signed<Checkpoint> message) {
        Checkpoint body = message.body();
        if (context.dropped(message, ignoreCheckpoint(body)) || !context.verified(message)) {
            return;
        }
        if (body.sequence() > context.highWatermark()) {
            // Replicas are a whole window ahead: the log this replica would need is gone everywhere, so
            // only a state transfer can bring it back (PBFT §4.3, "when a replica is far behind").
            if (!context.dropped(message, context.checkpoints.addAhead(message, context.highWatermark()))) {
                context.checkpoints.findCertifiedAbove(context.highWatermark()).ifPresent(stateTransfer::begin);
            }
            return;
        }
        Optional<Rejection> rejection = context.checkpoints.add(message);
        if (!context.dropped(message, rejection)) {
            checkDivergence(body.sequence());
            stabilize();
        }
    }

    /**
     * Called when the replica made no progress for a status interval: if 2f+1 replicas certified a checkpoint
     * beyond what this replica executed, fetch that state instead of waiting for a log that may be gone.
     */
    void catchUpIfBehind() {
        context.checkpoints.findCertifiedAbove(context.lastExecutedSequence()).ifPresent(stateTransfer::begin);
    }

    private Optional<Rejection> ignoreCheckpoint(Checkpoint body) {
        long interval = context.configuration.checkpointInterval();
        if (body.sequence() % interval != 0) {
            return Optional.of(Rejection.of(DropReason.MALFORMED, "checkpoint %d is not a multiple of %d",
                    body.sequence(), interval));
        }
        if (body.sequence() <= context.lowWatermark()) {
            return Optional.of(Rejection.of(DropReason.OBSOLETE, "checkpoint %d is at or below the stable one %d",
                    body.sequence(), context.lowWatermark()));
        }
        return Optional.empty();
    }

    private void checkDivergence(long sequence) {
        // A correct replica's state cannot differ from what 2f+1 replicas certified unless its memory, disk
        // or application misbehaved (a non-deterministic state machine, say). It must not continue from a
        // wrong state, and need not stop either: it fetches the certified state (BFT-SMaRt's issue #73).
        if (context.checkpoints.divergesFromQuorum(sequence)) {
            context.checkpoints.findCertifiedAbove(sequence - 1)
                    .filter(proof -> proof.get(0).body().sequence() == sequence)
                    .ifPresent(stateTransfer::begin);
        }
    }

    /** Makes the highest provable checkpoint stable. */
    void stabilize() {
        context.checkpoints.findNewlyStable(context.lastExecutedSequence()).ifPresent(this::makeStable);
    }

    /**
     * Adopts a checkpoint proven by 2f+1 signed messages from elsewhere (a NEW-VIEW), when this replica has
     * executed at least that far itself.
     */
    void adopt(List<Signed<Checkpoint>> proof) {
        long sequence = proof.get(0).body().sequence();
        Invariants.check(context.lastExecutedSequence() >= sequence, "cannot adopt checkpoint %d beyond execution %d",
                sequence, context.lastExecutedSequence());
        if (sequence > context.lowWatermark()) {
            makeStable(proof);
        }
    }

    /** Collects garbage below the stable checkpoint and moves the watermarks (§4.3). */
    private void makeStable(List<Signed<Checkpoint>> proof) {
        Checkpoint stable = proof.get(0).body();
        context.checkpoints.stabilize(proof);
        context.log.discardUpTo(stable.sequence());
        context.preparedCertificates.discardUpTo(stable.sequence());
        stateTransfer.discardBelow(stable.sequence());
        context.persist(new ProtocolEvent.CheckpointStabilized(stable.sequence(), stable.stateDigest(), proof));
        context.out.checkpoints.add(new CheckpointNotice.Stable(stable.sequence(), stable.stateDigest()));
    }
}
