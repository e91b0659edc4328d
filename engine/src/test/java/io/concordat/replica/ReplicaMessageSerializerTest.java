package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.io.NotSerializableException;
import java.io.Serializable;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every message that crosses a JVM goes through the Concordat serializer; Java serialization is refused. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaMessageSerializerTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    /** A class that would travel with Java serialization if it were allowed. */
    record JavaSerializable(String text) implements Serializable {}

    private Serialization serialization() {
        return SerializationExtension.get(Adapter.toClassic(testKit.system()));
    }

    @Test
    void everyCrossNodeMessageRoundTripsThroughTheReplicaSerializer() {
        List<Object> crossNode = List.of(
                new ReplicaActor.PeerMessage(Bytes.fromHex("0a0b0c0d")),
                new ReplicaActor.PeerMessage(Bytes.EMPTY),
                new ReplicaActor.PeerMessage(Bytes.wrap(new byte[70_000])));
        for (Object message : crossNode) {
            assertInstanceOf(CrossNodeMessage.class, message);
            var serializer = serialization().findSerializerFor(message);
            assertInstanceOf(ReplicaMessageSerializer.class, serializer);
            byte[] bytes = serialization().serialize(message).get();
            Object back = serialization().deserialize(bytes, serializer.identifier(),
                    Serializers.manifestFor(serializer, message)).get();
            assertEquals(message, back);
        }
    }

    @Test
    void thePeerMessagePayloadIsTheEnvelopeUnchanged() {
        Bytes envelope = Bytes.fromHex("08011203616263");
        byte[] bytes = serialization().serialize(new ReplicaActor.PeerMessage(envelope)).get();
        assertEquals(envelope, Bytes.wrap(bytes));
    }

    @Test
    void javaSerializationIsRefused() {
        assertTrue(!testKit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization"));
        var failure = serialization().serialize(new JavaSerializable("must not travel"));
        assertTrue(failure.isFailure(), "a java.io.Serializable message was serialized");
        assertTrue(failure.failed().get().getMessage().toLowerCase().contains("java serialization"),
                failure.failed().get().getMessage());
    }

    @Test
    void localOnlyCommandsHaveNoSerializerSoTheyCannotCrossAJvm() {
        var submit = new ReplicaActor.ClientSubmit(Bytes.EMPTY, testKit.<ClientResponse>createTestProbe().ref());
        assertTrue(serialization().serialize(submit).isFailure());
    }

    @Test
    void anUnknownManifestIsRejected() {
        var serializer = new ReplicaMessageSerializer(null);
        var thrown = assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[] {1}, "x"));
        assertTrue(thrown.getMessage().contains("[x]"));
        assertThrows(IllegalArgumentException.class, () -> serializer.manifest("not a replica message"));
    }
}
