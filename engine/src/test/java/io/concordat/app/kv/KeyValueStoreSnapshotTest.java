package io.concordat.app.kv;

import static io.concordat.app.kv.KeyValueTesting.run;
import static io.concordat.app.kv.KeyValueTesting.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.concordat.app.kv.proto.KeyValueSnapshot;
import io.concordat.app.kv.proto.SnapshotEntry;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The state digest, snapshots, and restore's refusal of anything damaged. */
class KeyValueStoreSnapshotTest {

    private static KeyValueStore storeWith(List<String> keys) {
        KeyValueStore store = new KeyValueStore();
        for (String key : keys) {
            run(store, KeyValueOperations.put(utf8(key), utf8("value of " + key)));
        }
        return store;
    }

    private static KeyValueStore sampleStore() {
        KeyValueStore store = storeWith(List.of("apple", "banana", "cherry"));
        run(store, KeyValueOperations.put(Bytes.fromHex("ff00"), Bytes.EMPTY));
        run(store, KeyValueOperations.put(Bytes.fromHex("00"), Bytes.fromHex("80ff")));
        return store;
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void theDigestDependsOnTheContentsNotOnTheOrderTheyWereBuiltIn(long seed) {
        List<String> keys = new ArrayList<>();
        for (int index = 0; index < 200; index++) {
            keys.add("key-" + index);
        }
        List<String> shuffled = new ArrayList<>(keys);
        Collections.shuffle(shuffled, new java.util.Random(seed));
        KeyValueStore inOrder = storeWith(keys);
        KeyValueStore outOfOrder = storeWith(shuffled);
        run(outOfOrder, KeyValueOperations.put(utf8("temporary"), utf8("x")));
        run(outOfOrder, KeyValueOperations.delete(utf8("temporary")));
        assertEquals(inOrder.stateDigest(), outOfOrder.stateDigest());
        assertEquals(inOrder.snapshot(), outOfOrder.snapshot());
    }

    @Test
    void theDigestChangesWithAnyKeyOrValue() {
        KeyValueStore store = storeWith(List.of("a", "b"));
        Digest original = store.stateDigest();
        run(store, KeyValueOperations.put(utf8("a"), utf8("changed")));
        assertNotEquals(original, store.stateDigest());
        assertNotEquals(new KeyValueStore().stateDigest(), storeWith(List.of("a")).stateDigest());
    }

    @Test
    void theDigestSeparatesKeysFromValues() {
        KeyValueStore first = new KeyValueStore();
        run(first, KeyValueOperations.put(utf8("ab"), utf8("c")));
        KeyValueStore second = new KeyValueStore();
        run(second, KeyValueOperations.put(utf8("a"), utf8("bc")));
        assertNotEquals(first.stateDigest(), second.stateDigest());
    }

    /** Pins the documented digest format with an independent computation, so a change cannot slip in. */
    @Test
    void theDigestFollowsItsDocumentedFormat() throws Exception {
        java.security.MessageDigest sha256 = java.security.MessageDigest.getInstance("SHA-256");
        java.nio.ByteBuffer expectedInput = java.nio.ByteBuffer.allocate(200);
        byte[] domain = "concordat.kv.v1.state".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        expectedInput.putLong(domain.length).put(domain).putLong(2);
        expectedInput.putLong(1).put((byte) 'a').putLong(0);
        expectedInput.putLong(1).put((byte) 'b').putLong(2).put((byte) 'x').put((byte) 'y');
        sha256.update(expectedInput.array(), 0, expectedInput.position());
        Digest expected = Digest.of(sha256.digest());

        KeyValueStore store = new KeyValueStore();
        run(store, KeyValueOperations.put(utf8("b"), utf8("xy")));
        run(store, KeyValueOperations.put(utf8("a"), Bytes.EMPTY));
        assertEquals(expected, store.stateDigest());
    }

    @Test
    void aSnapshotRestoresTheSameStateAndDigest() {
        KeyValueStore original = sampleStore();
        KeyValueStore copy = new KeyValueStore();
        run(copy, KeyValueOperations.put(utf8("replaced"), utf8("gone")));
        copy.restore(original.snapshot());
        assertEquals(original.stateDigest(), copy.stateDigest());
        assertEquals(original.contents(), copy.contents());
        assertEquals(original.snapshot(), copy.snapshot());
        assertEquals(KeyValueResult.ok(Optional.of(Bytes.EMPTY)),
                run(copy, KeyValueOperations.get(Bytes.fromHex("ff00"))));
    }

    @Test
    void anEmptyStoreRoundTrips() {
        KeyValueStore populated = sampleStore();
        populated.restore(new KeyValueStore().snapshot());
        assertTrue(populated.contents().isEmpty());
        assertEquals(new KeyValueStore().stateDigest(), populated.stateDigest());
    }

    @Test
    void everyStrictPrefixOfASnapshotIsRejectedAndTheOldStateKept() {
        Bytes snapshot = sampleStore().snapshot();
        KeyValueStore target = storeWith(List.of("kept"));
        Digest before = target.stateDigest();
        for (int length = 0; length < snapshot.size(); length++) {
            Bytes prefix = Bytes.copyOf(snapshot.unsafeArray(), 0, length);
            assertThrows(IllegalArgumentException.class, () -> target.restore(prefix), "prefix of " + length);
            assertEquals(before, target.stateDigest());
        }
    }

    @Test
    void everyPrefixOfAnEmptyStoreSnapshotIsRejected() {
        Bytes snapshot = new KeyValueStore().snapshot();
        KeyValueStore target = storeWith(List.of("kept"));
        for (int length = 0; length < snapshot.size(); length++) {
            Bytes prefix = Bytes.copyOf(snapshot.unsafeArray(), 0, length);
            assertThrows(IllegalArgumentException.class, () -> target.restore(prefix), "prefix of " + length);
        }
        assertEquals(storeWith(List.of("kept")).stateDigest(), target.stateDigest());
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23})
    void garbageAndBitFlipsAreRejectedAndTheOldStateKept(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Bytes snapshot = sampleStore().snapshot();
        KeyValueStore target = storeWith(List.of("kept"));
        Digest before = target.stateDigest();
        for (int round = 0; round < 1_000; round++) {
            byte[] damaged;
            if (random.nextBoolean()) {
                damaged = new byte[random.nextInt(200)];
                random.nextBytes(damaged);
            } else {
                damaged = snapshot.toByteArray();
                damaged[random.nextInt(damaged.length)] ^= (byte) (1 << random.nextInt(8));
            }
            Bytes bad = Bytes.wrap(damaged);
            assertThrows(IllegalArgumentException.class, () -> target.restore(bad),
                    () -> "seed " + seed + ": " + bad.toHex());
            assertEquals(before, target.stateDigest());
        }
    }

    @Test
    void anotherFormatVersionIsRejected() {
        KeyValueSnapshot valid = parse(sampleStore().snapshot());
        assertRejected(valid.toBuilder().setFormatVersion(2).build(), "format version 2 is not supported");
        assertRejected(valid.toBuilder().setFormatVersion(0).build(), "format version 0 is not supported");
    }

    @Test
    void unsortedAndDuplicateKeysAreRejected() {
        KeyValueSnapshot valid = parse(sampleStore().snapshot());
        List<SnapshotEntry> entries = new ArrayList<>(valid.getEntriesList());
        Collections.swap(entries, 0, 1);
        assertRejected(valid.toBuilder().clearEntries().addAllEntries(entries).build(), "unsorted or duplicated");

        List<SnapshotEntry> duplicated = new ArrayList<>(valid.getEntriesList());
        duplicated.add(1, duplicated.get(1));
        assertRejected(
                valid.toBuilder().clearEntries().addAllEntries(duplicated).setEntryCount(duplicated.size()).build(),
                "unsorted or duplicated");
    }

    @Test
    void aWrongEntryCountOrDigestIsRejected() {
        KeyValueSnapshot valid = parse(sampleStore().snapshot());
        assertRejected(valid.toBuilder().setEntryCount(valid.getEntryCount() + 1).build(), "declares");
        KeyValueSnapshot lastEntryDropped = valid.toBuilder()
                .removeEntries(valid.getEntriesCount() - 1)
                .setEntryCount(valid.getEntriesCount() - 1)
                .build();
        assertRejected(lastEntryDropped, "does not match its entries");
        assertRejected(valid.toBuilder().setStateDigest(ByteString.copyFrom(new byte[Digest.SIZE_BYTES])).build(),
                "does not match its entries");
    }

    @Test
    void entriesThatBreakTheLimitsAreRejected() {
        Bytes snapshot = storeWith(List.of("a-long-key")).snapshot();
        KeyValueStore strict = new KeyValueStore(new KeyValueLimits(4, 64));
        IllegalArgumentException rejected =
                assertThrows(IllegalArgumentException.class, () -> strict.restore(snapshot));
        assertTrue(rejected.getMessage().contains("over the limit"), rejected.getMessage());
        assertTrue(strict.contents().isEmpty());

        KeyValueSnapshot emptyKey = KeyValueSnapshot.newBuilder()
                .setFormatVersion(SnapshotCodec.FORMAT_VERSION)
                .addEntries(SnapshotEntry.newBuilder().setValue(ByteString.copyFromUtf8("v")))
                .setEntryCount(1)
                .build();
        assertRejected(emptyKey, "key is empty");
    }

    @Test
    void unknownFieldsAreRejected() {
        Bytes snapshot = sampleStore().snapshot();
        byte[] withUnknown = java.util.Arrays.copyOf(snapshot.unsafeArray(), snapshot.size() + 2);
        withUnknown[snapshot.size()] = 0x48; // field 9, varint
        withUnknown[snapshot.size() + 1] = 0x01;
        KeyValueStore target = new KeyValueStore();
        IllegalArgumentException rejected =
                assertThrows(IllegalArgumentException.class, () -> target.restore(Bytes.wrap(withUnknown)));
        assertTrue(rejected.getMessage().contains("fields this store does not know"), rejected.getMessage());
    }

    @Test
    void aSnapshotMadeByHandWithTheRightDigestIsAccepted() {
        NavigableMap<Bytes, Bytes> entries = new TreeMap<>();
        entries.put(utf8("x"), utf8("1"));
        entries.put(utf8("y"), utf8("2"));
        KeyValueStore target = new KeyValueStore();
        target.restore(SnapshotCodec.encode(entries, KeyValueStore.digestOf(entries)));
        assertEquals(entries, target.contents());
    }

    private static KeyValueSnapshot parse(Bytes snapshot) {
        try {
            return KeyValueSnapshot.parseFrom(snapshot.unsafeArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertRejected(KeyValueSnapshot snapshot, String expectedMessagePart) {
        KeyValueStore target = storeWith(List.of("kept"));
        Digest before = target.stateDigest();
        IllegalArgumentException rejected = assertThrows(IllegalArgumentException.class,
                () -> target.restore(Bytes.wrap(snapshot.toByteArray())));
        assertTrue(rejected.getMessage().contains(expectedMessagePart), rejected.getMessage());
        assertEquals(before, target.stateDigest());
    }
}
