package io.concordat.protocol;

import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.Status;

/**
 * The status mechanism (Castro's thesis §5.2): a replica that has unfinished work and made no progress
 * for a whole {@code statusIntervalTicks} multicasts STATUS, and the others resend what it misses
 * ({@link Retransmission}). A replica waiting for a NEW-VIEW resends its VIEW-CHANGE as well. A replica
 * in an older view is sent the NEW-VIEW of the current one; one in a later view is sent what this view
 * committed above its last executed sequence.
 */
final class StatusProtocol {
    private final ReplicaContext context;
    private final ViewChangeProtocol viewChange;
    private final CheckpointProtocol checkpointProtocol;
    private long progressAtLastStatus = Long.MIN_VALUE;

    StatusProtocol(ReplicaContext context, ViewChangeProtocol viewChange, CheckpointProtocol checkpointProtocol) {
        this.context = context;
        this.viewChange = viewChange;
        this.checkpointProtocol = checkpointProtocol;
    }

    void onStatus(Signed<Status> message) {
        Status body = message.body();
        if (body.replicaId() == context.replicaId) {
            context.drop(message, Rejection.of(DropReason.DUPLICATE, "own status"));
            return;
        }
        if (!context.verified(message)) {
            return;
        }
        int sender = body.replicaId();
        if (body.view() < context.view) {
            viewChange.sendNewViewTo(sender);
        } else if (body.view() > context.view) {
            // The sender is in a later view: tell it where this replica is, so it sends its NEW-VIEW back.
            context.sendTo(new Destination.Replica(sender), context.ownStatus());
            if (context.viewActive && body.lastExecutedSequence() < context.lastExecutedSequence()) {
                // If it is stranded there alone, what this view committed is all it can still execute.
                new Retransmission(context.out, body, context.replicaId)
                        .sendCommittedToLaterView(context.log, context.checkpoints, context.lastExecutedSequence());
            }
        } else if (context.viewActive) {
            new Retransmission(context.out, body, context.replicaId)
                    .send(context.log, context.checkpoints, context.lastExecutedSequence());
            if (body.lastExecutedSequence() > context.lastExecutedSequence() && !context.isPrimary()) {
                // The sender (a heartbeating primary, say) executed more than this replica. Its claim proves
                // nothing, but asking costs one message and brings back signed certificates or checkpoint
                // proofs, which do.
                context.sendTo(new Destination.Replica(sender), context.ownStatus());
            }
        }
    }

    void onTick() {
        if (!context.timers.expired(TimerChange.Timer.STATUS)) {
            return;
        }
        context.timers.stop(context.out, TimerChange.Timer.STATUS);
        long progress = progressMarker();
        // Only a replica that made no progress for a whole interval asks for help, so a busy but healthy
        // cluster sends no status messages at all.
        if (progress == progressAtLastStatus) {
            checkpointProtocol.catchUpIfBehind();
            context.sendToAllReplicas(context.ownStatus());
            if (!context.viewActive) {
                // The VIEW-CHANGE asks the others to join; the STATUS asks those that stayed in an older view
                // for what it committed since (EarlierViewCommits).
                viewChange.retransmitViewChange();
            }
        }
        progressAtLastStatus = progress;
    }

    void afterStep() {
        boolean unfinishedWork = !context.viewActive || !context.pendingRequests.isEmpty()
                || context.execution.inProgress()
                || context.log.highestSequence().orElse(0L) > context.lastExecutedSequence()
                || context.checkpoints.hasUnstableOwnCheckpoint()
                // Last, since it walks the log: a slot executed in an earlier view that this replica has not
                // committed in this one. Its STATUS is what makes the others resend the prepares it lost
                // (Retransmission), and with f = 2 and two silent backups the others cannot commit without
                // its commit (campaign seed 1000196: a prepare that arrived before the NEW-VIEW was dropped,
                // and the replica, idle, never asked again).
                || context.log.awaitsOwnCommit();
        if (unfinishedWork) {
            context.timers.start(context.out, TimerChange.Timer.STATUS,
                    context.now() + context.configuration.statusIntervalTicks());
        } else {
            context.timers.stop(context.out, TimerChange.Timer.STATUS);
            progressAtLastStatus = Long.MIN_VALUE;
        }
    }

    private long progressMarker() {
        long marker = context.lastExecutedSequence();
        marker = marker * 31 + context.lowWatermark();
        marker = marker * 31 + context.view;
        return marker * 2 + (context.viewActive ? 1 : 0);
    }
}
