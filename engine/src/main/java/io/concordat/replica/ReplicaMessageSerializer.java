package io.concordat.replica;

import io.concordat.common.Bytes;
import java.io.NotSerializableException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Serializes the replica messages that cross JVMs ({@link CrossNodeMessage}), bound in
 * {@code reference.conf}. A {@link ReplicaActor.PeerMessage} already holds a protobuf envelope (the
 * {@code io.concordat.wire} format, signed by its sender), so its payload is those bytes unchanged and
 * the manifest names the message type. Nothing is decoded here: the replica decodes and verifies what it
 * receives, counts what is bad, and the serializer never throws on a payload's content.
 */
public final class ReplicaMessageSerializer extends SerializerWithStringManifest {
    /** Unique among the serializers of an ActorSystem; Pekko reserves 0 to 40. */
    public static final int IDENTIFIER = 460_731;

    static final String PEER_MESSAGE_MANIFEST = "peer-message";

    public ReplicaMessageSerializer(ExtendedActorSystem system) {
        // The ActorSystem is not needed; Pekko instantiates serializers with this constructor.
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object message) {
        if (message instanceof ReplicaActor.PeerMessage) {
            return PEER_MESSAGE_MANIFEST;
        }
        throw new IllegalArgumentException("no Concordat serialization for " + message.getClass().getName());
    }

    @Override
    public byte[] toBinary(Object message) {
        if (message instanceof ReplicaActor.PeerMessage peerMessage) {
            return peerMessage.envelope().toByteArray();
        }
        throw new IllegalArgumentException("no Concordat serialization for " + message.getClass().getName());
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        if (PEER_MESSAGE_MANIFEST.equals(manifest)) {
            return new ReplicaActor.PeerMessage(Bytes.copyOf(bytes));
        }
        throw new NotSerializableException("unknown Concordat message manifest [" + manifest + "]");
    }
}
