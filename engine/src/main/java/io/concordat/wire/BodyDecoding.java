package io.concordat.wire;

import com.google.protobuf.ByteString;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.PublicKey;
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
import java.util.ArrayList;
import java.util.List;
import io.concordat.wire.proto.Body;
import java.util.Locale;

/**
 * A parsed protobuf {@link Body} to its protocol record, checking every field first so that a bad value
 * is reported by name. The generated classes share their simple names with the protocol records, so the
 * generated ones are written out in full.
 */
final class BodyDecoding {
    private final WireLimits limits;

    BodyDecoding(WireLimits limits) {
        this.limits = limits;
    }

    static String kindName(Body.KindCase kind) {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    Signable toDomain(Body body, String position) throws RejectedInput {
        String where = position + " " + kindName(body.getKindCase());
        switch (body.getKindCase()) {
            case CLIENT_REQUEST:
                return clientRequest(body.getClientRequest(), where);
            case PRE_PREPARE:
                return prePrepare(body.getPrePrepare(), where);
            case PREPARE:
                return prepare(body.getPrepare(), where);
            case COMMIT:
                return commit(body.getCommit(), where);
            case CHECKPOINT:
                return checkpoint(body.getCheckpoint(), where);
            case REPLY:
                return reply(body.getReply(), where);
            case STATUS:
                return status(body.getStatus(), where);
            case VIEW_CHANGE:
                return viewChange(body.getViewChange(), where);
            case NEW_VIEW:
                return newView(body.getNewView(), where);
            case STATE_REQUEST:
                return stateRequest(body.getStateRequest(), where);
            case STATE_CHUNK:
                return stateChunk(body.getStateChunk(), where);
            case KIND_NOT_SET:
            default:
                throw new RejectedInput(DecodeError.UNKNOWN_TYPE,
                        position + " body holds no message of a type this version knows");
        }
    }

    private ClientRequest clientRequest(io.concordat.wire.proto.ClientRequest request, String where)
            throws RejectedInput {
        ByteString operation = request.getOperation();
        if (operation.size() > limits.maxOperationBytes()) {
            throw new RejectedInput(DecodeError.OVERSIZED, where + ": operation is " + operation.size()
                    + " bytes, the limit is " + limits.maxOperationBytes());
        }
        return new ClientRequest(
                publicKey(request.getClientId(), where, "client_id"),
                requestNumber(request.getRequestNumber(), where),
                bytes(operation),
                request.getReadOnly());
    }

    private static PrePrepare prePrepare(io.concordat.wire.proto.PrePrepare prePrepare, String where)
            throws RejectedInput {
        return new PrePrepare(
                nonNegative(prePrepare.getView(), where, "view"),
                nonNegative(prePrepare.getSequence(), where, "sequence"),
                digest(prePrepare.getBatchDigest(), where, "batch_digest"),
                replicaId(prePrepare.getReplicaId(), where));
    }

    private static Prepare prepare(io.concordat.wire.proto.Prepare prepare, String where) throws RejectedInput {
        return new Prepare(
                nonNegative(prepare.getView(), where, "view"),
                nonNegative(prepare.getSequence(), where, "sequence"),
                digest(prepare.getBatchDigest(), where, "batch_digest"),
                replicaId(prepare.getReplicaId(), where));
    }

    private static Commit commit(io.concordat.wire.proto.Commit commit, String where) throws RejectedInput {
        return new Commit(
                nonNegative(commit.getView(), where, "view"),
                nonNegative(commit.getSequence(), where, "sequence"),
                digest(commit.getBatchDigest(), where, "batch_digest"),
                replicaId(commit.getReplicaId(), where));
    }

    private static Checkpoint checkpoint(io.concordat.wire.proto.Checkpoint checkpoint, String where)
            throws RejectedInput {
        return new Checkpoint(
                nonNegative(checkpoint.getSequence(), where, "sequence"),
                digest(checkpoint.getStateDigest(), where, "state_digest"),
                replicaId(checkpoint.getReplicaId(), where));
    }

    private static Reply reply(io.concordat.wire.proto.Reply reply, String where) throws RejectedInput {
        return new Reply(
                nonNegative(reply.getView(), where, "view"),
                publicKey(reply.getClientId(), where, "client_id"),
                requestNumber(reply.getRequestNumber(), where),
                bytes(reply.getResult()),
                reply.getReadOnly(),
                replicaId(reply.getReplicaId(), where));
    }

    private ViewChange viewChange(io.concordat.wire.proto.ViewChange viewChange, String where) throws RejectedInput {
        List<Signed<Checkpoint>> proof = new ArrayList<>();
        for (SignedMessage message : viewChange.getCheckpointProofList()) {
            proof.add(embedded(message, Checkpoint.class, where + " checkpoint_proof"));
        }
        List<PreparedCertificate> certificates = new ArrayList<>();
        for (io.concordat.wire.proto.PreparedCertificate certificate : viewChange.getPreparedCertificatesList()) {
            Signed<PrePrepare> prePrepare = embedded(certificate.getPrePrepare(), PrePrepare.class,
                    where + " prepared_certificates.pre_prepare");
            List<Signed<Prepare>> prepares = new ArrayList<>();
            for (SignedMessage prepare : certificate.getPreparesList()) {
                prepares.add(embedded(prepare, Prepare.class, where + " prepared_certificates.prepares"));
            }
            certificates.add(new PreparedCertificate(prePrepare, prepares));
        }
        return new ViewChange(
                nonNegative(viewChange.getNewView(), where, "new_view"),
                nonNegative(viewChange.getStableSequence(), where, "stable_sequence"),
                digest(viewChange.getStableDigest(), where, "stable_digest"),
                proof, certificates,
                replicaId(viewChange.getReplicaId(), where));
    }

    private NewView newView(io.concordat.wire.proto.NewView newView, String where) throws RejectedInput {
        List<Signed<ViewChange>> viewChanges = new ArrayList<>();
        for (SignedMessage message : newView.getViewChangesList()) {
            viewChanges.add(embedded(message, ViewChange.class, where + " view_changes"));
        }
        List<Signed<PrePrepare>> prePrepares = new ArrayList<>();
        for (SignedMessage message : newView.getPrePreparesList()) {
            prePrepares.add(embedded(message, PrePrepare.class, where + " pre_prepares"));
        }
        return new NewView(
                nonNegative(newView.getView(), where, "view"),
                viewChanges, prePrepares,
                replicaId(newView.getReplicaId(), where));
    }

    /** A signed message inside another body; it must be of the expected type (a NEW-VIEW cannot nest one). */
    @SuppressWarnings("unchecked")
    private <T extends Signable> Signed<T> embedded(SignedMessage message, Class<T> type, String position)
            throws RejectedInput {
        Signed<Signable> signed = new SignedMessageDecoding(this).toDomain(message, position);
        if (!type.isInstance(signed.body())) {
            throw new RejectedInput(DecodeError.UNEXPECTED_TYPE, position + " must hold a " + type.getSimpleName()
                    + ", not a " + signed.body().getClass().getSimpleName());
        }
        return (Signed<T>) signed;
    }

    private static StateRequest stateRequest(io.concordat.wire.proto.StateRequest request, String where)
            throws RejectedInput {
        return new StateRequest(
                nonNegative(request.getSequence(), where, "sequence"),
                digest(request.getStateDigest(), where, "state_digest"),
                replicaId(request.getChunkIndex(), where),
                replicaId(request.getReplicaId(), where));
    }

    private static StateChunk stateChunk(io.concordat.wire.proto.StateChunk chunk, String where) throws RejectedInput {
        int chunkIndex = replicaId(chunk.getChunkIndex(), where);
        int chunkCount = replicaId(chunk.getChunkCount(), where);
        if (chunkCount < 1 || chunkIndex >= chunkCount) {
            throw invalid(where, "chunk_index " + chunkIndex + " is not below chunk_count " + chunkCount);
        }
        return new StateChunk(
                nonNegative(chunk.getSequence(), where, "sequence"),
                digest(chunk.getStateDigest(), where, "state_digest"),
                chunkIndex, chunkCount,
                bytes(chunk.getData()),
                replicaId(chunk.getReplicaId(), where));
    }

    private static Status status(io.concordat.wire.proto.Status status, String where) throws RejectedInput {
        return new Status(
                nonNegative(status.getView(), where, "view"),
                nonNegative(status.getLastExecutedSequence(), where, "last_executed_sequence"),
                nonNegative(status.getLowWatermark(), where, "low_watermark"),
                replicaId(status.getReplicaId(), where));
    }

    /** A uint64 field read into a Java long: values from 2^63 up arrive negative and are refused. */
    private static long nonNegative(long value, String where, String field) throws RejectedInput {
        if (value < 0) {
            throw invalid(where, field + " must be below 2^63, got " + Long.toUnsignedString(value));
        }
        return value;
    }

    private static long requestNumber(long value, String where) throws RejectedInput {
        if (value < 1) {
            throw invalid(where, "request_number must be between 1 and 2^63 - 1, got " + Long.toUnsignedString(value));
        }
        return value;
    }

    private static int replicaId(int value, String where) throws RejectedInput {
        if (value < 0) {
            throw invalid(where, "replica_id must be below 2^31, got " + Integer.toUnsignedString(value));
        }
        return value;
    }

    private static Digest digest(ByteString value, String where, String field) throws RejectedInput {
        if (value.size() != Digest.SIZE_BYTES) {
            throw invalid(where, field + " must be " + Digest.SIZE_BYTES + " bytes, got " + value.size());
        }
        return new Digest(bytes(value));
    }

    private static PublicKey publicKey(ByteString value, String where, String field) throws RejectedInput {
        if (value.size() != PublicKey.SIZE_BYTES) {
            throw invalid(where, field + " must be a " + PublicKey.SIZE_BYTES + "-byte Ed25519 public key, got "
                    + value.size() + " bytes");
        }
        return new PublicKey(bytes(value));
    }

    /** Copies out of the (possibly aliased) input once; the fresh array is owned by the new value. */
    static Bytes bytes(ByteString value) {
        return Bytes.wrap(value.toByteArray());
    }

    private static RejectedInput invalid(String where, String problem) {
        return new RejectedInput(DecodeError.INVALID_FIELD, where + ": " + problem);
    }
}
