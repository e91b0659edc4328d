package io.concordat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.StateChunk;
import io.concordat.protocol.message.StateRequest;
import io.concordat.protocol.message.Status;
import io.concordat.protocol.message.ViewChange;
import io.concordat.wire.proto.SignedMessage;
import io.concordat.wire.proto.Body;

/**
 * Protocol message bodies to their protobuf form. The generated classes share their simple names with the
 * protocol records, so the generated ones are written out in full.
 */
final class BodyEncoding {
    private BodyEncoding() {}

    static Body toProto(Signable body) {
        Body.Builder builder = Body.newBuilder();
        if (body instanceof ClientRequest request) {
            builder.setClientRequest(clientRequest(request));
        } else if (body instanceof PrePrepare prePrepare) {
            builder.setPrePrepare(prePrepare(prePrepare));
        } else if (body instanceof Prepare prepare) {
            builder.setPrepare(prepare(prepare));
        } else if (body instanceof Commit commit) {
            builder.setCommit(commit(commit));
        } else if (body instanceof Checkpoint checkpoint) {
            builder.setCheckpoint(checkpoint(checkpoint));
        } else if (body instanceof Reply reply) {
            builder.setReply(reply(reply));
        } else if (body instanceof Status status) {
            builder.setStatus(status(status));
        } else if (body instanceof ViewChange viewChange) {
            builder.setViewChange(viewChange(viewChange));
        } else if (body instanceof NewView newView) {
            builder.setNewView(newView(newView));
        } else if (body instanceof StateRequest request) {
            builder.setStateRequest(io.concordat.wire.proto.StateRequest.newBuilder()
                    .setSequence(request.sequence())
                    .setStateDigest(byteString(request.stateDigest().value()))
                    .setChunkIndex(request.chunkIndex())
                    .setReplicaId(request.replicaId()));
        } else if (body instanceof StateChunk chunk) {
            builder.setStateChunk(io.concordat.wire.proto.StateChunk.newBuilder()
                    .setSequence(chunk.sequence())
                    .setStateDigest(byteString(chunk.stateDigest().value()))
                    .setChunkIndex(chunk.chunkIndex())
                    .setChunkCount(chunk.chunkCount())
                    .setData(byteString(chunk.data()))
                    .setReplicaId(chunk.replicaId()));
        } else {
            throw new IllegalStateException("no wire encoding for " + body.getClass().getName());
        }
        return builder.build();
    }

    /** Shares the array: {@link Bytes} is immutable and protobuf only reads it. */
    static ByteString byteString(Bytes bytes) {
        return UnsafeByteOperations.unsafeWrap(bytes.unsafeArray());
    }

    private static io.concordat.wire.proto.ClientRequest clientRequest(ClientRequest request) {
        return io.concordat.wire.proto.ClientRequest.newBuilder()
                .setClientId(byteString(request.clientId().encoded()))
                .setRequestNumber(request.requestNumber())
                .setOperation(byteString(request.operation()))
                .setReadOnly(request.readOnly())
                .build();
    }

    private static io.concordat.wire.proto.PrePrepare prePrepare(PrePrepare prePrepare) {
        return io.concordat.wire.proto.PrePrepare.newBuilder()
                .setView(prePrepare.view())
                .setSequence(prePrepare.sequence())
                .setBatchDigest(byteString(prePrepare.batchDigest().value()))
                .setReplicaId(prePrepare.replicaId())
                .build();
    }

    private static io.concordat.wire.proto.Prepare prepare(Prepare prepare) {
        return io.concordat.wire.proto.Prepare.newBuilder()
                .setView(prepare.view())
                .setSequence(prepare.sequence())
                .setBatchDigest(byteString(prepare.batchDigest().value()))
                .setReplicaId(prepare.replicaId())
                .build();
    }

    private static io.concordat.wire.proto.Commit commit(Commit commit) {
        return io.concordat.wire.proto.Commit.newBuilder()
                .setView(commit.view())
                .setSequence(commit.sequence())
                .setBatchDigest(byteString(commit.batchDigest().value()))
                .setReplicaId(commit.replicaId())
                .build();
    }

    private static io.concordat.wire.proto.Checkpoint checkpoint(Checkpoint checkpoint) {
        return io.concordat.wire.proto.Checkpoint.newBuilder()
                .setSequence(checkpoint.sequence())
                .setStateDigest(byteString(checkpoint.stateDigest().value()))
                .setReplicaId(checkpoint.replicaId())
                .build();
    }

    private static io.concordat.wire.proto.Reply reply(Reply reply) {
        return io.concordat.wire.proto.Reply.newBuilder()
                .setView(reply.view())
                .setClientId(byteString(reply.clientId().encoded()))
                .setRequestNumber(reply.requestNumber())
                .setResult(byteString(reply.result()))
                .setReadOnly(reply.readOnly())
                .setReplicaId(reply.replicaId())
                .build();
    }

    private static io.concordat.wire.proto.Status status(Status status) {
        return io.concordat.wire.proto.Status.newBuilder()
                .setView(status.view())
                .setLastExecutedSequence(status.lastExecutedSequence())
                .setLowWatermark(status.lowWatermark())
                .setReplicaId(status.replicaId())
                .build();
    }

    /** An embedded signed message keeps its original bytes and signature, so it still verifies. */
    static SignedMessage signedMessage(Signed<?> signed) {
        return SignedMessage.newBuilder()
                .setBody(byteString(signed.encoded()))
                .setSignature(byteString(signed.signature()))
                .build();
    }

    private static io.concordat.wire.proto.ViewChange viewChange(ViewChange viewChange) {
        io.concordat.wire.proto.ViewChange.Builder builder = io.concordat.wire.proto.ViewChange.newBuilder()
                .setNewView(viewChange.newView())
                .setStableSequence(viewChange.stableSequence())
                .setStableDigest(byteString(viewChange.stableDigest().value()))
                .setReplicaId(viewChange.replicaId());
        viewChange.checkpointProof().forEach(message -> builder.addCheckpointProof(signedMessage(message)));
        for (PreparedCertificate certificate : viewChange.preparedCertificates()) {
            io.concordat.wire.proto.PreparedCertificate.Builder proto = io.concordat.wire.proto.PreparedCertificate
                    .newBuilder().setPrePrepare(signedMessage(certificate.prePrepare()));
            certificate.prepares().forEach(prepare -> proto.addPrepares(signedMessage(prepare)));
            builder.addPreparedCertificates(proto);
        }
        return builder.build();
    }

    private static io.concordat.wire.proto.NewView newView(NewView newView) {
        io.concordat.wire.proto.NewView.Builder builder = io.concordat.wire.proto.NewView.newBuilder()
                .setView(newView.view())
                .setReplicaId(newView.replicaId());
        newView.viewChanges().forEach(viewChange -> builder.addViewChanges(signedMessage(viewChange)));
        newView.prePrepares().forEach(prePrepare -> builder.addPrePrepares(signedMessage(prePrepare)));
        return builder.build();
    }
}
