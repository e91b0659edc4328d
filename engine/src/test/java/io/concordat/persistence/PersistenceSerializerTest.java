package io.concordat.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.protocol.ProtocolEvent;
import java.io.NotSerializableException;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Events and snapshots go through the Concordat serializer, as bound in reference.conf. */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersistenceSerializerTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().build();

    private Serialization serialization() {
        return SerializationExtension.get(testKit.system().classicSystem());
    }

    @Test
    void everyEventAndASnapshotRoundTripThroughTheBoundSerializer() {
        for (ProtocolEvent event : EventFixtures.everyEvent()) {
            assertEquals(event, roundTrip(event));
        }
        var snapshot = new ReplicaSnapshot(EventFixtures.everyEvent());
        assertEquals(snapshot, roundTrip(snapshot));
    }

    @Test
    void corruptStoredBytesAreRefusedWithAMessageThatSaysHowToRecover() {
        var serializer = assertInstanceOf(PersistenceSerializer.class,
                serialization().findSerializerFor(new ReplicaSnapshot(java.util.List.of())));
        byte[] snapshot = serializer.toBinary(new ReplicaSnapshot(EventFixtures.everyEvent()));
        byte[] truncated = Arrays.copyOf(snapshot, snapshot.length - 10);
        var refused = assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(truncated, PersistenceSerializer.SNAPSHOT_MANIFEST));
        assertTrue(refused.getMessage().contains("the snapshot is truncated or malformed"), refused.getMessage());
        assertTrue(refused.getMessage().contains("wipe this replica's data directory"), refused.getMessage());
        var unknown = assertThrows(NotSerializableException.class,
                () -> serializer.fromBinary(new byte[0], "event-v9"));
        assertTrue(unknown.getMessage().contains("unknown Concordat persistence manifest [event-v9]"));
    }

    private Object roundTrip(Object value) {
        var serializer = serialization().findSerializerFor(value);
        assertInstanceOf(PersistenceSerializer.class, serializer);
        String manifest = Serializers.manifestFor(serializer, value);
        byte[] bytes = serialization().serialize(value).get();
        return serialization().deserialize(bytes, serializer.identifier(), manifest).get();
    }
}
