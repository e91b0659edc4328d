package io.concordat.protocol;

import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.Status;
import java.util.List;

/**
 * Answers a STATUS from a replica that made no progress: it resends what that replica may be missing
 * (Castro's thesis §5.2). Every message it resends carries its original signer's signature, so relaying
 * another replica's pre-prepare, prepare or commit is as good as the original.
 *
 * <ul>
 *   <li>For each slot above the requester's last executed sequence: the pre-prepare with its batch; for a
 *       slot this replica executed, every matching prepare and commit it holds (a full certificate); for
 *       a slot still in progress, its own prepare and commit.
 *   <li>For each slot of the current view that the requester executed but whose commit this replica lacks
 *       from it: the pre-prepare and every matching prepare and commit this replica holds. A replica that
 *       executed a batch in an earlier view must still commit it again in the new view for the others (the
 *       NEW-VIEW re-proposes it, §4.4); if it lost a prepare of the new view, nobody else would resend it,
 *       since its STATUS says it executed the slot, and a replica that needs its commit stalls (campaign
 *       seed 1000170: f = 2 with two silent backups needs every correct replica's commit).
 *   <li>If the requester's low watermark is below this replica's stable checkpoint: the 2f+1 messages
 *       that prove it, and this replica's own newer checkpoint messages.
 * </ul>
 */
final class Retransmission {
    private final ReadyBuilder out;
    private final Status status;
    private final int replicaId;
    private final Destination target;

    Retransmission(ReadyBuilder out, Status status, int replicaId) {
        this.out = out;
        this.status = status;
        this.replicaId = replicaId;
        this.target = new Destination.Replica(status.replicaId());
    }

    void send(MessageLog log, CheckpointTracker checkpoints, long lastExecutedSequence) {
        for (Slot slot : log.after(status.lowWatermark())) {
            if (slot.view != status.view()) {
                continue;
            }
            if (slot.sequence > status.lastExecutedSequence()) {
                sendSlot(slot, slot.sequence <= lastExecutedSequence);
            } else if (!slot.commits.containsKey(status.replicaId())) {
                sendSlot(slot, true);
            }
        }
        sendCheckpointProofs(checkpoints);
    }

    /**
     * For a requester in a later view than this replica, which takes no part in this view any more: the batch
     * and the commit certificate of every slot this replica executed above the requester's last executed
     * sequence, which it executes without rejoining the view ({@link EarlierViewCommits}), and the checkpoint
     * proofs as in {@link #send}.
     */
    void sendCommittedToLaterView(MessageLog log, CheckpointTracker checkpoints, long lastExecutedSequence) {
        for (Slot slot : log.after(status.lastExecutedSequence())) {
            if (slot.sequence > lastExecutedSequence) {
                break;
            }
            if (slot.committed() && slot.batch().isPresent()) {
                out.send.add(new Outbound(target,
                        new Envelope.PrePrepareEnvelope(slot.prePrepare().orElseThrow(), slot.batch().get())));
                slot.matchingCommits(slot.commits.size()).forEach(this::sendMessage);
            }
        }
        sendCheckpointProofs(checkpoints);
    }

    private void sendCheckpointProofs(CheckpointTracker checkpoints) {
        if (status.lowWatermark() < checkpoints.stableSequence()) {
            checkpoints.stableProof().forEach(this::sendMessage);
        }
        List<Signed<Checkpoint>> own = checkpoints.ownMessagesAbove(
                Math.max(status.lowWatermark(), checkpoints.stableSequence()));
        own.forEach(this::sendMessage);
    }

    private void sendSlot(Slot slot, boolean executed) {
        if (slot.prePrepare().isEmpty()) {
            return;
        }
        var digest = slot.batchDigest().orElseThrow();
        // A slot filled from a NEW-VIEW may still wait for its batch: then there is no pre-prepare envelope
        // to resend, but the prepares and commits still help.
        slot.batch().ifPresent(batch -> out.send.add(
                new Outbound(target, new Envelope.PrePrepareEnvelope(slot.prePrepare().get(), batch))));
        for (Signed<Prepare> prepare : slot.prepares.values()) {
            if ((executed || prepare.body().replicaId() == replicaId) && prepare.body().batchDigest().equals(digest)) {
                sendMessage(prepare);
            }
        }
        for (Signed<Commit> commit : slot.commits.values()) {
            if ((executed || commit.body().replicaId() == replicaId) && commit.body().batchDigest().equals(digest)) {
                sendMessage(commit);
            }
        }
    }

    private void sendMessage(Signed<?> message) {
        out.send.add(new Outbound(target, new Envelope.MessageEnvelope(message)));
    }
}
