package io.concordat.app.kv;

import static io.concordat.app.kv.KeyValueTesting.operation;
import static io.concordat.app.kv.KeyValueTesting.run;
import static io.concordat.app.kv.KeyValueTesting.runReadOnly;
import static io.concordat.app.kv.KeyValueTesting.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueResult.Status;
import io.concordat.app.kv.proto.GetOperation;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad operations return INVALID with a reason, change nothing, and never throw. */
class KeyValueStoreInvalidInputTest {
    private static final KeyValueLimits SMALL_LIMITS = new KeyValueLimits(8, 16);

    private final KeyValueStore store = new KeyValueStore(SMALL_LIMITS);
    private Digest initialDigest;

    @BeforeEach
    void seed() {
        run(store, KeyValueOperations.put(utf8("k"), utf8("v")));
        initialDigest = store.stateDigest();
    }

    private void assertInvalidAndUnchanged(Bytes payload, String expectedDetailPart) {
        KeyValueResult result = run(store, payload);
        assertEquals(Status.INVALID, result.status(), () -> "for " + payload);
        assertTrue(result.detail().contains(expectedDetailPart), result.detail());
        assertTrue(result.value().isEmpty());
        assertEquals(initialDigest, store.stateDigest());
        assertEquals(Map.of(utf8("k"), utf8("v")), store.contents());
    }

    @Test
    void bytesThatAreNotProtobufAreInvalid() {
        assertInvalidAndUnchanged(Bytes.fromHex("ff"), "not a valid protobuf encoding");
        // put (field 1) claiming 100 bytes of content with only 2 present: truncated
        assertInvalidAndUnchanged(Bytes.fromHex("0a64aabb"), "not a valid protobuf encoding");
    }

    @Test
    void anOperationWithNoKindIsInvalid() {
        assertInvalidAndUnchanged(Bytes.EMPTY, "names no kind");
    }

    @Test
    void unknownFieldsAreInvalidAtTheTopAndInsideAnOperation() {
        // field 99, varint 1: tag 99 << 3 = 792, as a varint 0x98 0x06
        Bytes unknownField = Bytes.fromHex("980601");
        assertInvalidAndUnchanged(concat(KeyValueOperations.get(utf8("k")), unknownField),
                "fields this store does not know");

        Bytes getBody =
                Bytes.wrap(GetOperation.newBuilder().setKey(OperationCodec.wrap(utf8("k"))).build().toByteArray());
        Bytes getBodyWithUnknownField = concat(getBody, unknownField);
        assertEquals(Status.OK, run(store, asGetField(getBody)).status(), "the hand-built encoding is valid");
        assertInvalidAndUnchanged(asGetField(getBodyWithUnknownField), "fields this store does not know");
    }

    /** Field 2 (get) of KeyValueOperation, length-delimited; the bodies here are shorter than 128 bytes. */
    private static Bytes asGetField(Bytes body) {
        return concat(Bytes.wrap(new byte[] {0x12, (byte) body.size()}), body);
    }

    @Test
    void emptyKeysAreInvalidForEveryOperation() {
        assertInvalidAndUnchanged(KeyValueOperations.put(Bytes.EMPTY, utf8("v")), "key is empty");
        assertInvalidAndUnchanged(KeyValueOperations.get(Bytes.EMPTY), "key is empty");
        assertInvalidAndUnchanged(KeyValueOperations.delete(Bytes.EMPTY), "key is empty");
        assertInvalidAndUnchanged(
                KeyValueOperations.compareAndSet(Bytes.EMPTY, Optional.empty(), utf8("v")), "key is empty");
    }

    @Test
    void oversizedKeysAreInvalidForEveryOperation() {
        Bytes longKey = utf8("123456789");
        String detail = "key is 9 bytes, over the limit of 8 bytes";
        assertInvalidAndUnchanged(KeyValueOperations.put(longKey, utf8("v")), detail);
        assertInvalidAndUnchanged(KeyValueOperations.get(longKey), detail);
        assertInvalidAndUnchanged(KeyValueOperations.delete(longKey), detail);
        assertInvalidAndUnchanged(KeyValueOperations.compareAndSet(longKey, Optional.empty(), utf8("v")), detail);
    }

    @Test
    void keysAndValuesAtTheLimitAreAccepted() {
        Bytes key = utf8("12345678");
        Bytes value = utf8("0123456789abcdef");
        assertEquals(Status.OK, run(store, KeyValueOperations.put(key, value)).status());
        assertEquals(KeyValueResult.ok(Optional.of(value)), run(store, KeyValueOperations.get(key)));
        assertEquals(Status.OK, run(store, KeyValueOperations.compareAndSet(key, Optional.of(value), value)).status());
    }

    @Test
    void oversizedValuesAreInvalid() {
        Bytes longValue = utf8("0123456789abcdefX");
        assertInvalidAndUnchanged(KeyValueOperations.put(utf8("k"), longValue), "value is 17 bytes, over the limit");
        assertInvalidAndUnchanged(KeyValueOperations.compareAndSet(utf8("k"), Optional.of(utf8("v")), longValue),
                "new value is 17 bytes");
        assertInvalidAndUnchanged(KeyValueOperations.compareAndSet(utf8("k"), Optional.of(longValue), utf8("v")),
                "expected value is 17 bytes");
    }

    @Test
    void operationsLargerThanAnyValidOneAreRejectedBeforeParsing() {
        Bytes huge = Bytes.wrap(new byte[(int) SMALL_LIMITS.operationMaxBytes() + 1]);
        assertInvalidAndUnchanged(huge, "larger than any valid operation");
    }

    @Test
    void executeReadOnlyReportsMalformedOperationsToo() {
        KeyValueResult result = runReadOnly(store, Bytes.fromHex("ff"));
        assertEquals(Status.INVALID, result.status());
        assertTrue(result.detail().contains("not a valid protobuf encoding"), result.detail());
        assertEquals(Status.INVALID, runReadOnly(store, KeyValueOperations.get(Bytes.EMPTY)).status());
        assertEquals(initialDigest, store.stateDigest());
    }

    @Test
    void theReasonDependsOnlyOnTheInputSoReplicasAgree() {
        Bytes garbage = Bytes.fromHex("0a64aabb");
        KeyValueStore other = new KeyValueStore(SMALL_LIMITS);
        assertEquals(store.execute(1, List.of(operation(garbage))), other.execute(9, List.of(operation(garbage))));
    }

    /** Random bytes, and random single-byte corruptions of valid operations, never throw or change state wrongly. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomBytesNeverThrowAndInvalidOnesChangeNothing(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int round = 0; round < 2_000; round++) {
            Bytes payload = random.nextBoolean() ? randomBytes(random) : corrupt(validOperation(random), random);
            KeyValueStore replica = new KeyValueStore(SMALL_LIMITS);
            replica.restore(store.snapshot());
            KeyValueResult result = run(replica, payload);
            KeyValueResult readOnlyResult = runReadOnly(replica, payload);
            if (result.status() == Status.INVALID) {
                assertTrue(!result.detail().isEmpty(), "an INVALID result says why");
                assertEquals(initialDigest, replica.stateDigest(),
                        () -> "seed " + seed + " payload " + payload.toHex());
                assertEquals(Status.INVALID, readOnlyResult.status());
            }
        }
    }

    private static Bytes randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(40)];
        random.nextBytes(bytes);
        return Bytes.wrap(bytes);
    }

    private static Bytes validOperation(SplittableRandom random) {
        Bytes key = utf8("k" + random.nextInt(3));
        switch (random.nextInt(4)) {
            case 0:
                return KeyValueOperations.put(key, utf8("value" + random.nextInt(3)));
            case 1:
                return KeyValueOperations.get(key);
            case 2:
                return KeyValueOperations.delete(key);
            default:
                return KeyValueOperations.compareAndSet(key, Optional.of(utf8("v")), utf8("w"));
        }
    }

    private static Bytes corrupt(Bytes valid, SplittableRandom random) {
        byte[] bytes = valid.toByteArray();
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        return Bytes.wrap(bytes);
    }

    private static Bytes concat(Bytes first, Bytes second) {
        byte[] bytes = Arrays.copyOf(first.unsafeArray(), first.size() + second.size());
        System.arraycopy(second.unsafeArray(), 0, bytes, first.size(), second.size());
        return Bytes.wrap(bytes);
    }
}
