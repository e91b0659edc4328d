package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Signed;
import java.util.List;
import java.util.Optional;

/** Checkpoints, stable checkpoints, garbage collection and the watermarks (PBFT §4.3). */
final class CheckpointProtocol {
    private final ReplicaContext context;

    CheckpointProtocol(ReplicaContext context) {
        this.context = context;
    }

    /** Called after the batch at a checkpoint sequence executed, with the application's state digest. */
    void take(long sequence, Digest applicationStateDigest) {
        // The replicated state is the application plus the client sessions (the last-reply table, §4.3).
        Digest stateDigest = Sha256.builder().putDigest(applicationStateDigest).putDigest(context.sessions.digest())
                .build();
        Signed<Checkpoint> checkpoint = context.sign(new Checkpoint(sequence, stateDigest, context.replicaId));
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
        Optional<Rejection> rejection = context.checkpoints.add(message);
        if (!context.dropped(message, rejection)) {
            checkDivergence(body.sequence());
            stabilize();
        }
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
        if (body.sequence() > context.highWatermark()) {
            return Optional.of(Rejection.of(DropReason.OUTSIDE_WATERMARKS, "checkpoint %d is above the high watermark %d",
                    body.sequence(), context.highWatermark()));
        }
        return Optional.empty();
    }

    private void checkDivergence(long sequence) {
        // A correct replica's state cannot differ from what 2f+1 replicas certified unless Concordat or the
        // application has a bug (a non-deterministic state machine, say). Continuing would serve wrong
        // results, so stop loudly.
        Invariants.check(!context.checkpoints.divergesFromQuorum(sequence),
                "replica %d's state at checkpoint %d differs from the digest 2f+1 replicas certified",
                context.replicaId, sequence);
    }

    /** Makes the highest provable checkpoint stable. */
    void stabilize() {
        context.checkpoints.findNewlyStable().ifPresent(this::makeStable);
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
        context.persist(new ProtocolEvent.CheckpointStabilized(stable.sequence(), stable.stateDigest(), proof));
        context.out.checkpoints.add(new CheckpointNotice.Stable(stable.sequence(), stable.stateDigest()));
    }
}
