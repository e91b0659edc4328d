package io.concordat.persistence;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnsafeByteOperations;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.persistence.proto.Event;
import io.concordat.persistence.proto.Snapshot;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.SignedDecodeResult;
import io.concordat.wire.proto.SignedMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The storage format of {@link ProtocolEvent}s and {@link ReplicaSnapshot}s (schema: {@code events.proto}).
 *
 * <p>Signed messages are stored as the wire format's {@code SignedMessage}: the bytes that were signed and
 * the signature, unchanged, so what comes back verifies exactly as it did before the crash. Decoding goes
 * through {@link ProtobufCodec#decodeSigned}, with all the wire format's checks, and then checks that each
 * message is of the type its field holds.
 *
 * <p>Decoding never throws on what it reads: truncated, corrupt or unknown data gives a
 * {@link PersistenceDecodeResult.Rejected} with a readable detail. Thread-safe.
 */
public final class EventCodec {
    /** The version this codec writes and the only one it reads. */
    public static final int FORMAT_VERSION = 1;

    private final ProtobufCodec wire;

    public EventCodec(ProtobufCodec wire) {
        this.wire = Objects.requireNonNull(wire, "wire");
    }

    public Bytes encode(ProtocolEvent event) {
        return Bytes.wrap(toProto(event).toByteArray());
    }

    public Bytes encodeSnapshot(ReplicaSnapshot snapshot) {
        var builder = Snapshot.newBuilder().setFormatVersion(FORMAT_VERSION);
        for (ProtocolEvent event : snapshot.events()) {
            builder.addEvents(toProto(event));
        }
        return Bytes.wrap(builder.build().toByteArray());
    }

    /** Decodes what {@link #encode} wrote. Never throws, whatever {@code bytes} holds. */
    public PersistenceDecodeResult<ProtocolEvent> decode(Bytes bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try {
            Event event = Event.parseFrom(input(bytes));
            return new PersistenceDecodeResult.Decoded<>(fromProto(event));
        } catch (InvalidProtocolBufferException malformed) {
            return new PersistenceDecodeResult.Rejected<>("the event is truncated or malformed (" + bytes.size()
                    + " bytes): " + malformed.getMessage());
        } catch (CorruptData corrupt) {
            return new PersistenceDecodeResult.Rejected<>("the event is corrupt: " + corrupt.getMessage());
        }
    }

    /** Decodes what {@link #encodeSnapshot} wrote. Never throws, whatever {@code bytes} holds. */
    public PersistenceDecodeResult<ReplicaSnapshot> decodeSnapshot(Bytes bytes) {
        Objects.requireNonNull(bytes, "bytes");
        try {
            Snapshot snapshot = Snapshot.parseFrom(input(bytes));
            if (snapshot.getFormatVersion() != FORMAT_VERSION) {
                throw new CorruptData("snapshot format version " + Integer.toUnsignedString(snapshot.getFormatVersion())
                        + ", this replica reads version " + FORMAT_VERSION);
            }
            List<ProtocolEvent> events = new ArrayList<>(snapshot.getEventsCount());
            for (int index = 0; index < snapshot.getEventsCount(); index++) {
                try {
                    events.add(fromProto(snapshot.getEvents(index)));
                } catch (CorruptData corrupt) {
                    throw new CorruptData("event " + index + ": " + corrupt.getMessage());
                }
            }
            return new PersistenceDecodeResult.Decoded<>(new ReplicaSnapshot(events));
        } catch (InvalidProtocolBufferException malformed) {
            return new PersistenceDecodeResult.Rejected<>("the snapshot is truncated or malformed (" + bytes.size()
                    + " bytes): " + malformed.getMessage());
        } catch (CorruptData corrupt) {
            return new PersistenceDecodeResult.Rejected<>("the snapshot is corrupt: " + corrupt.getMessage());
        }
    }

    // ---------------------------------------------------------------- encoding

    private Event toProto(ProtocolEvent event) {
        var builder = Event.newBuilder().setFormatVersion(FORMAT_VERSION);
        if (event instanceof ProtocolEvent.PrePrepareAccepted accepted) {
            builder.setPrePrepareAccepted(io.concordat.persistence.proto.PrePrepareAccepted.newBuilder()
                    .setPrePrepare(signed(accepted.prePrepare())).setBatch(batch(accepted.batch())));
        } else if (event instanceof ProtocolEvent.PrepareSent sent) {
            builder.setPrepareSent(io.concordat.persistence.proto.PrepareSent.newBuilder()
                    .setPrepare(signed(sent.prepare())));
        } else if (event instanceof ProtocolEvent.Prepared prepared) {
            var certificate = io.concordat.persistence.proto.Prepared.newBuilder()
                    .setPrePrepare(signed(prepared.certificate().prePrepare()));
            prepared.certificate().prepares().forEach(prepare -> certificate.addPrepares(signed(prepare)));
            builder.setPrepared(certificate);
        } else if (event instanceof ProtocolEvent.CommitSent sent) {
            builder.setCommitSent(io.concordat.persistence.proto.CommitSent.newBuilder()
                    .setCommit(signed(sent.commit())));
        } else if (event instanceof ProtocolEvent.BatchCommitted committed) {
            builder.setBatchCommitted(io.concordat.persistence.proto.BatchCommitted.newBuilder()
                    .setSequence(committed.sequence()).setView(committed.view())
                    .setBatchDigest(bytes(committed.batchDigest().value())));
        } else if (event instanceof ProtocolEvent.ViewChangeSent sent) {
            builder.setViewChangeSent(io.concordat.persistence.proto.ViewChangeSent.newBuilder()
                    .setViewChange(signed(sent.viewChange())));
        } else if (event instanceof ProtocolEvent.NewViewAccepted accepted) {
            builder.setNewViewAccepted(io.concordat.persistence.proto.NewViewAccepted.newBuilder()
                    .setNewView(signed(accepted.newView())));
        } else if (event instanceof ProtocolEvent.StateTransferred transferred) {
            var proto = io.concordat.persistence.proto.StateTransferred.newBuilder()
                    .setSequence(transferred.sequence()).setStateDigest(bytes(transferred.stateDigest().value()));
            transferred.proof().forEach(checkpoint -> proto.addProof(signed(checkpoint)));
            builder.setStateTransferred(proto);
        } else if (event instanceof ProtocolEvent.CheckpointStateRecorded recorded) {
            var proto = io.concordat.persistence.proto.CheckpointStateRecorded.newBuilder()
                    .setSequence(recorded.sequence()).setStateDigest(bytes(recorded.stateDigest().value()))
                    .setState(bytes(recorded.state()));
            recorded.proof().forEach(checkpoint -> proto.addProof(signed(checkpoint)));
            builder.setCheckpointStateRecorded(proto);
        } else if (event instanceof ProtocolEvent.CheckpointSent sent) {
            builder.setCheckpointSent(io.concordat.persistence.proto.CheckpointSent.newBuilder()
                    .setCheckpoint(signed(sent.checkpoint())));
        } else if (event instanceof ProtocolEvent.CheckpointStabilized stabilized) {
            var proto = io.concordat.persistence.proto.CheckpointStabilized.newBuilder()
                    .setSequence(stabilized.sequence()).setStateDigest(bytes(stabilized.stateDigest().value()));
            stabilized.proof().forEach(checkpoint -> proto.addProof(signed(checkpoint)));
            builder.setCheckpointStabilized(proto);
        } else {
            throw new IllegalArgumentException("no storage format for " + event.getClass().getName());
        }
        return builder.build();
    }

    private static SignedMessage signed(Signed<? extends Signable> signed) {
        return SignedMessage.newBuilder().setBody(bytes(signed.encoded())).setSignature(bytes(signed.signature()))
                .build();
    }

    private static io.concordat.wire.proto.Batch batch(Batch batch) {
        var builder = io.concordat.wire.proto.Batch.newBuilder();
        batch.requests().forEach(request -> builder.addRequests(signed(request)));
        return builder.build();
    }

    private static ByteString bytes(Bytes bytes) {
        return UnsafeByteOperations.unsafeWrap(bytes.unsafeArray());
    }

    private static ByteString input(Bytes bytes) {
        return UnsafeByteOperations.unsafeWrap(bytes.unsafeArray());
    }

    // ---------------------------------------------------------------- decoding

    private ProtocolEvent fromProto(Event event) throws CorruptData {
        if (event.getFormatVersion() != FORMAT_VERSION) {
            throw new CorruptData("event format version " + Integer.toUnsignedString(event.getFormatVersion())
                    + ", this replica reads version " + FORMAT_VERSION);
        }
        try {
            return fromProtoChecked(event);
        } catch (IllegalArgumentException | NullPointerException invalid) {
            // A protocol record refused a decoded value.
            throw new CorruptData(event.getEventCase() + ": " + invalid.getMessage());
        }
    }

    private ProtocolEvent fromProtoChecked(Event event) throws CorruptData {
        switch (event.getEventCase()) {
            case PRE_PREPARE_ACCEPTED: {
                var accepted = event.getPrePrepareAccepted();
                return new ProtocolEvent.PrePrepareAccepted(signed(accepted.getPrePrepare(), PrePrepare.class,
                        "pre_prepare"), batch(accepted.getBatch()));
            }
            case PREPARE_SENT:
                return new ProtocolEvent.PrepareSent(signed(event.getPrepareSent().getPrepare(), Prepare.class,
                        "prepare"));
            case PREPARED: {
                var prepared = event.getPrepared();
                List<Signed<Prepare>> prepares = new ArrayList<>();
                for (SignedMessage prepare : prepared.getPreparesList()) {
                    prepares.add(signed(prepare, Prepare.class, "prepares"));
                }
                return new ProtocolEvent.Prepared(new PreparedCertificate(signed(prepared.getPrePrepare(),
                        PrePrepare.class, "pre_prepare"), prepares));
            }
            case COMMIT_SENT:
                return new ProtocolEvent.CommitSent(signed(event.getCommitSent().getCommit(), Commit.class, "commit"));
            case BATCH_COMMITTED: {
                var committed = event.getBatchCommitted();
                return new ProtocolEvent.BatchCommitted(number(committed.getSequence(), "sequence"),
                        number(committed.getView(), "view"), digest(committed.getBatchDigest(), "batch_digest"));
            }
            case VIEW_CHANGE_SENT:
                return new ProtocolEvent.ViewChangeSent(signed(event.getViewChangeSent().getViewChange(),
                        ViewChange.class, "view_change"));
            case NEW_VIEW_ACCEPTED:
                return new ProtocolEvent.NewViewAccepted(signed(event.getNewViewAccepted().getNewView(),
                        NewView.class, "new_view"));
            case STATE_TRANSFERRED: {
                var transferred = event.getStateTransferred();
                return new ProtocolEvent.StateTransferred(number(transferred.getSequence(), "sequence"),
                        digest(transferred.getStateDigest(), "state_digest"), proof(transferred.getProofList()));
            }
            case CHECKPOINT_STATE_RECORDED: {
                var recorded = event.getCheckpointStateRecorded();
                return new ProtocolEvent.CheckpointStateRecorded(number(recorded.getSequence(), "sequence"),
                        digest(recorded.getStateDigest(), "state_digest"), proof(recorded.getProofList()),
                        Bytes.copyOf(recorded.getState().toByteArray()));
            }
            case CHECKPOINT_SENT:
                return new ProtocolEvent.CheckpointSent(signed(event.getCheckpointSent().getCheckpoint(),
                        Checkpoint.class, "checkpoint"));
            case CHECKPOINT_STABILIZED: {
                var stabilized = event.getCheckpointStabilized();
                return new ProtocolEvent.CheckpointStabilized(number(stabilized.getSequence(), "sequence"),
                        digest(stabilized.getStateDigest(), "state_digest"), proof(stabilized.getProofList()));
            }
            default:
                throw new CorruptData("the event holds no known event type");
        }
    }

    private List<Signed<Checkpoint>> proof(List<SignedMessage> messages) throws CorruptData {
        List<Signed<Checkpoint>> proof = new ArrayList<>(messages.size());
        for (SignedMessage message : messages) {
            proof.add(signed(message, Checkpoint.class, "proof"));
        }
        return proof;
    }

    private Batch batch(io.concordat.wire.proto.Batch batch) throws CorruptData {
        List<Signed<ClientRequest>> requests = new ArrayList<>(batch.getRequestsCount());
        for (SignedMessage request : batch.getRequestsList()) {
            requests.add(signed(request, ClientRequest.class, "batch"));
        }
        return new Batch(requests);
    }

    @SuppressWarnings("unchecked")
    private <T extends Signable> Signed<T> signed(SignedMessage message, Class<T> type, String field)
            throws CorruptData {
        SignedDecodeResult decoded = wire.decodeSigned(Bytes.wrap(message.toByteArray()));
        if (decoded instanceof SignedDecodeResult.Rejected rejected) {
            throw new CorruptData(field + ": " + rejected.error() + ": " + rejected.detail());
        }
        Signed<? extends Signable> signed = ((SignedDecodeResult.Decoded) decoded).message();
        if (!type.isInstance(signed.body())) {
            throw new CorruptData(field + " holds a " + signed.body().getClass().getSimpleName() + ", not a "
                    + type.getSimpleName());
        }
        return (Signed<T>) signed;
    }

    private static long number(long value, String field) throws CorruptData {
        if (value < 0) {
            throw new CorruptData(field + " " + Long.toUnsignedString(value) + " is above 2^63 - 1");
        }
        return value;
    }

    private static Digest digest(ByteString value, String field) throws CorruptData {
        if (value.size() != Digest.SIZE_BYTES) {
            throw new CorruptData(field + " is " + value.size() + " bytes, a digest is " + Digest.SIZE_BYTES);
        }
        return Digest.of(value.toByteArray());
    }

    /** Stored data that cannot be what this codec wrote. */
    private static final class CorruptData extends Exception {
        CorruptData(String message) {
            super(message, null, false, false);
        }
    }
}
