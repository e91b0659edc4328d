package io.concordat.persistence;

import io.concordat.common.Bytes;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Pekko's serializer for the journal and the snapshot store: {@link ProtocolEvent}s and
 * {@link ReplicaSnapshot}s in the {@link EventCodec} format, bound in {@code reference.conf}.
 *
 * <p>Damaged stored data is refused with a {@link NotSerializableException} whose message says what is
 * wrong and how to recover; Pekko then fails the replica's recovery, so the replica never starts with
 * partial state.
 */
public final class PersistenceSerializer extends SerializerWithStringManifest {
    /** Unique among the serializers of an ActorSystem; Pekko reserves 0 to 40. */
    public static final int IDENTIFIER = 460_732;

    static final String EVENT_MANIFEST = "event-v1";
    static final String SNAPSHOT_MANIFEST = "snapshot-v1";

    /** What every refusal ends with: how an operator recovers the replica. */
    public static final String RECOVERY_ADVICE = "Refusing to start with partial state: wipe this replica's data "
            + "directory and let state transfer rebuild it from the other replicas.";

    private final EventCodec codec = new EventCodec(new ProtobufCodec(WireLimits.defaults()));

    public PersistenceSerializer(ExtendedActorSystem system) {
        // The ActorSystem is not needed; Pekko instantiates serializers with this constructor.
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object value) {
        if (value instanceof ProtocolEvent) {
            return EVENT_MANIFEST;
        }
        if (value instanceof ReplicaSnapshot) {
            return SNAPSHOT_MANIFEST;
        }
        throw new IllegalArgumentException("no Concordat persistence format for " + value.getClass().getName());
    }

    @Override
    public byte[] toBinary(Object value) {
        if (value instanceof ProtocolEvent event) {
            return codec.encode(event).toByteArray();
        }
        if (value instanceof ReplicaSnapshot snapshot) {
            return codec.encodeSnapshot(snapshot).toByteArray();
        }
        throw new IllegalArgumentException("no Concordat persistence format for " + value.getClass().getName());
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        PersistenceDecodeResult<?> decoded;
        if (EVENT_MANIFEST.equals(manifest)) {
            decoded = codec.decode(Bytes.wrap(bytes));
        } else if (SNAPSHOT_MANIFEST.equals(manifest)) {
            decoded = codec.decodeSnapshot(Bytes.wrap(bytes));
        } else {
            throw new NotSerializableException("unknown Concordat persistence manifest [" + manifest + "]. "
                    + RECOVERY_ADVICE);
        }
        if (decoded instanceof PersistenceDecodeResult.Rejected<?> rejected) {
            throw new NotSerializableException(rejected.detail() + ". " + RECOVERY_ADVICE);
        }
        return ((PersistenceDecodeResult.Decoded<?>) decoded).value();
    }
}
