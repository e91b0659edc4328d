package io.concordat.persistence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.concordat.common.Bytes;
import io.concordat.persistence.proto.Event;
import io.concordat.persistence.proto.PrepareSent;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.proto.SignedMessage;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The storage format round-trips every event exactly and refuses damaged data with a clear reason. */
class EventCodecTest {
    private final EventCodec codec = EventFixtures.CODEC;

    static Stream<ProtocolEvent> everyEvent() {
        return EventFixtures.everyEvent().stream();
    }

    @Test
    void theFixturesCoverEveryEventType() {
        var covered = new HashSet<Class<?>>();
        EventFixtures.everyEvent().forEach(event -> covered.add(event.getClass()));
        assertEquals(ProtocolEvent.class.getPermittedSubclasses().length, covered.size());
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void everyEventRoundTripsExactlyWithItsOriginalSignedBytes(ProtocolEvent event) {
        Bytes encoded = codec.encode(event);
        ProtocolEvent decoded = decoded(codec.decode(encoded));
        assertEquals(event, decoded);
        assertEquals(encoded, codec.encode(decoded), "re-encoding gives the same bytes");
    }

    @Test
    void signedMessagesComeBackWithTheirOriginalSignatures() {
        var event = (ProtocolEvent.NewViewAccepted) EventFixtures.everyEvent().stream()
                .filter(ProtocolEvent.NewViewAccepted.class::isInstance).findFirst().orElseThrow();
        var decoded = (ProtocolEvent.NewViewAccepted) decoded(codec.decode(codec.encode(event)));
        Signed<?> inner = decoded.newView().body().viewChanges().get(0);
        assertEquals(event.newView().body().viewChanges().get(0).signature(), inner.signature());
        assertEquals(event.newView().encoded(), decoded.newView().encoded());
    }

    @Test
    void aSnapshotRoundTripsEveryEventInOrder() {
        var snapshot = new ReplicaSnapshot(EventFixtures.everyEvent());
        Bytes encoded = codec.encodeSnapshot(snapshot);
        var decoded = assertInstanceOf(PersistenceDecodeResult.Decoded.class, codec.decodeSnapshot(encoded));
        assertEquals(snapshot, decoded.value());
        assertEquals(new ReplicaSnapshot(List.of()), ((PersistenceDecodeResult.Decoded<?>) codec.decodeSnapshot(
                codec.encodeSnapshot(new ReplicaSnapshot(List.of())))).value());
    }

    @ParameterizedTest
    @MethodSource("everyEvent")
    void everyTruncationOfAnEventIsRefusedOrDecodesToSomethingElseWithoutThrowing(ProtocolEvent event) {
        byte[] encoded = codec.encode(event).toByteArray();
        for (int length = 0; length < encoded.length; length++) {
            var result = codec.decode(Bytes.copyOf(encoded, 0, length));
            if (result instanceof PersistenceDecodeResult.Decoded<ProtocolEvent> decoded) {
                assertTrue(!decoded.value().equals(event), "a truncated event cannot decode to the original");
            }
        }
        assertInstanceOf(PersistenceDecodeResult.Rejected.class, codec.decode(Bytes.EMPTY),
                "an empty row holds no event");
    }

    @Test
    void aTruncatedSnapshotIsRefusedWithAClearReason() {
        byte[] encoded = codec.encodeSnapshot(new ReplicaSnapshot(EventFixtures.everyEvent())).toByteArray();
        int refused = 0;
        for (int length = 1; length < encoded.length; length += 7) {
            var result = codec.decodeSnapshot(Bytes.copyOf(encoded, 0, length));
            if (result instanceof PersistenceDecodeResult.Rejected<ReplicaSnapshot> rejected) {
                refused++;
                assertTrue(rejected.detail().startsWith("the snapshot is"), rejected.detail());
            }
        }
        assertTrue(refused > 0);
        var cutInsideASignedMessage = codec.decodeSnapshot(Bytes.copyOf(encoded, 0, encoded.length / 2));
        assertTrue(((PersistenceDecodeResult.Rejected<?>) cutInsideASignedMessage).detail()
                .contains("truncated or malformed"), cutInsideASignedMessage.toString());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomlyCorruptedBytesNeverThrow(long seed) {
        var random = new SplittableRandom(seed);
        List<ProtocolEvent> events = EventFixtures.everyEvent();
        for (int round = 0; round < 200; round++) {
            byte[] bytes = codec.encode(events.get(random.nextInt(events.size()))).toByteArray();
            int flips = 1 + random.nextInt(4);
            for (int flip = 0; flip < flips; flip++) {
                bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
            }
            assertTrue(codec.decode(Bytes.wrap(bytes)) != null);
            assertTrue(codec.decodeSnapshot(Bytes.wrap(bytes)) != null);
        }
        byte[] garbage = new byte[512];
        random.nextBytes(garbage);
        assertTrue(codec.decode(Bytes.wrap(garbage)) != null);
    }

    @Test
    void aSignedMessageOfTheWrongTypeIsRefused() {
        var commit = (ProtocolEvent.CommitSent) EventFixtures.everyEvent().stream()
                .filter(ProtocolEvent.CommitSent.class::isInstance).findFirst().orElseThrow();
        Event forged = Event.newBuilder().setFormatVersion(EventCodec.FORMAT_VERSION)
                .setPrepareSent(PrepareSent.newBuilder().setPrepare(SignedMessage.newBuilder()
                        .setBody(ByteString.copyFrom(commit.commit().encoded().toByteArray()))
                        .setSignature(ByteString.copyFrom(commit.commit().signature().toByteArray()))))
                .build();
        String detail = rejected(codec.decode(Bytes.wrap(forged.toByteArray())));
        assertTrue(detail.contains("prepare holds a Commit, not a Prepare"), detail);
    }

    @Test
    void anUnknownFormatVersionOrAnEmptyEventIsRefused() {
        byte[] current = codec.encode(EventFixtures.everyEvent().get(2)).toByteArray();
        Event future;
        try {
            future = Event.parseFrom(current).toBuilder().setFormatVersion(2).build();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        assertTrue(rejected(codec.decode(Bytes.wrap(future.toByteArray()))).contains("format version 2"));
        Event empty = Event.newBuilder().setFormatVersion(EventCodec.FORMAT_VERSION).build();
        assertTrue(rejected(codec.decode(Bytes.wrap(empty.toByteArray()))).contains("no known event type"));
    }

    @Test
    void aDigestOfTheWrongLengthIsRefused() {
        Event event = Event.newBuilder().setFormatVersion(EventCodec.FORMAT_VERSION)
                .setBatchCommitted(io.concordat.persistence.proto.BatchCommitted.newBuilder().setSequence(1)
                        .setBatchDigest(ByteString.copyFrom(new byte[31])))
                .build();
        assertTrue(rejected(codec.decode(Bytes.wrap(event.toByteArray()))).contains("batch_digest is 31 bytes"));
        Event negative = Event.newBuilder().setFormatVersion(EventCodec.FORMAT_VERSION)
                .setBatchCommitted(io.concordat.persistence.proto.BatchCommitted.newBuilder().setSequence(-1)
                        .setBatchDigest(ByteString.copyFrom(new byte[32])))
                .build();
        assertTrue(rejected(codec.decode(Bytes.wrap(negative.toByteArray()))).contains("above 2^63 - 1"));
    }

    @Test
    void encodingIsDeterministic() {
        for (ProtocolEvent event : EventFixtures.everyEvent()) {
            assertArrayEquals(codec.encode(event).toByteArray(), codec.encode(event).toByteArray());
        }
    }

    private static ProtocolEvent decoded(PersistenceDecodeResult<ProtocolEvent> result) {
        if (result instanceof PersistenceDecodeResult.Rejected<ProtocolEvent> rejected) {
            throw new AssertionError("refused: " + rejected.detail());
        }
        return ((PersistenceDecodeResult.Decoded<ProtocolEvent>) result).value();
    }

    private static String rejected(PersistenceDecodeResult<?> result) {
        return assertInstanceOf(PersistenceDecodeResult.Rejected.class, result).detail();
    }
}
