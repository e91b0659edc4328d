package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.StateChunk;
import io.concordat.protocol.message.StateRequest;
import io.concordat.protocol.message.Status;
import io.concordat.protocol.message.ViewChange;
import java.util.Optional;

/** Builds altered copies of replica messages for the Byzantine behaviours. Nothing here signs. */
final class MessageForgery {
    private MessageForgery() {}

    /** The replica message an envelope carries; empty for a client request. */
    static Optional<ReplicaMessage> replicaMessage(Envelope envelope) {
        if (envelope instanceof Envelope.PrePrepareEnvelope prePrepare) {
            return Optional.of(prePrepare.prePrepare().body());
        }
        Signable body = ((Envelope.MessageEnvelope) envelope).message().body();
        return body instanceof ReplicaMessage message ? Optional.of(message) : Optional.empty();
    }

    /** A digest that no correct replica computes: the real one hashed with {@code salt}. */
    static Digest twist(Digest digest, long salt) {
        return Sha256.builder().putDigest(digest).putLong(salt).build();
    }

    /**
     * The same message with its digest replaced by {@code twist(digest, salt)}, for a reply its result and
     * for a state chunk its data replaced; empty for a status, a state request or a NEW-VIEW.
     */
    static Optional<ReplicaMessage> twisted(ReplicaMessage message, long salt) {
        if (message instanceof Prepare prepare) {
            return Optional.of(new Prepare(prepare.view(), prepare.sequence(), twist(prepare.batchDigest(), salt),
                    prepare.replicaId()));
        }
        if (message instanceof Commit commit) {
            return Optional.of(new Commit(commit.view(), commit.sequence(), twist(commit.batchDigest(), salt),
                    commit.replicaId()));
        }
        if (message instanceof Checkpoint checkpoint) {
            return Optional.of(new Checkpoint(checkpoint.sequence(), twist(checkpoint.stateDigest(), salt),
                    checkpoint.replicaId()));
        }
        if (message instanceof PrePrepare prePrepare) {
            return Optional.of(new PrePrepare(prePrepare.view(), prePrepare.sequence(),
                    twist(prePrepare.batchDigest(), salt), prePrepare.replicaId()));
        }
        if (message instanceof Reply reply) {
            Bytes wrongResult = twist(Sha256.of(reply.result()), salt).value();
            return Optional.of(new Reply(reply.view(), reply.clientId(), reply.requestNumber(), wrongResult,
                    reply.readOnly(), reply.replicaId()));
        }
        if (message instanceof ViewChange viewChange) {
            return Optional.of(new ViewChange(viewChange.newView(), viewChange.stableSequence(),
                    twist(viewChange.stableDigest(), salt), viewChange.checkpointProof(),
                    viewChange.preparedCertificates(), viewChange.replicaId()));
        }
        if (message instanceof StateChunk chunk) {
            return Optional.of(new StateChunk(chunk.sequence(), chunk.stateDigest(), chunk.chunkIndex(),
                    chunk.chunkCount(), twist(Sha256.of(chunk.data()), salt).value(), chunk.replicaId()));
        }
        return Optional.empty();
    }

    /** The same message claiming to come from {@code replicaId}. */
    static ReplicaMessage claimingSender(ReplicaMessage message, int replicaId) {
        if (message instanceof Prepare prepare) {
            return new Prepare(prepare.view(), prepare.sequence(), prepare.batchDigest(), replicaId);
        }
        if (message instanceof Commit commit) {
            return new Commit(commit.view(), commit.sequence(), commit.batchDigest(), replicaId);
        }
        if (message instanceof Checkpoint checkpoint) {
            return new Checkpoint(checkpoint.sequence(), checkpoint.stateDigest(), replicaId);
        }
        if (message instanceof PrePrepare prePrepare) {
            return new PrePrepare(prePrepare.view(), prePrepare.sequence(), prePrepare.batchDigest(), replicaId);
        }
        if (message instanceof Reply reply) {
            return new Reply(reply.view(), reply.clientId(), reply.requestNumber(), reply.result(), reply.readOnly(),
                    replicaId);
        }
        if (message instanceof Status status) {
            return new Status(status.view(), status.lastExecutedSequence(), status.lowWatermark(), replicaId);
        }
        return claimingSenderOfViewChangeOrStateTransfer(message, replicaId);
    }

    private static ReplicaMessage claimingSenderOfViewChangeOrStateTransfer(ReplicaMessage message, int replicaId) {
        if (message instanceof ViewChange viewChange) {
            return new ViewChange(viewChange.newView(), viewChange.stableSequence(), viewChange.stableDigest(),
                    viewChange.checkpointProof(), viewChange.preparedCertificates(), replicaId);
        }
        if (message instanceof NewView newView) {
            return new NewView(newView.view(), newView.viewChanges(), newView.prePrepares(), replicaId);
        }
        if (message instanceof StateRequest request) {
            return new StateRequest(request.sequence(), request.stateDigest(), request.chunkIndex(), replicaId);
        }
        StateChunk chunk = (StateChunk) message;
        return new StateChunk(chunk.sequence(), chunk.stateDigest(), chunk.chunkIndex(), chunk.chunkCount(), chunk.data(),
                replicaId);
    }

    /** The same envelope with the outer signature replaced by {@code signature}. */
    static Envelope withSignature(Envelope envelope, Bytes signature) {
        if (envelope instanceof Envelope.PrePrepareEnvelope prePrepare) {
            Signed<PrePrepare> signed = prePrepare.prePrepare();
            return new Envelope.PrePrepareEnvelope(new Signed<>(signed.body(), signed.encoded(), signature),
                    prePrepare.batch());
        }
        Signed<? extends Signable> signed = ((Envelope.MessageEnvelope) envelope).message();
        return new Envelope.MessageEnvelope(new Signed<>(signed.body(), signed.encoded(), signature));
    }
}
