package io.concordat.app.kv;

import static io.concordat.app.kv.KeyValueTesting.operation;
import static io.concordat.app.kv.KeyValueTesting.run;
import static io.concordat.app.kv.KeyValueTesting.runReadOnly;
import static io.concordat.app.kv.KeyValueTesting.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueResult.Status;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyValueStoreTest {
    private final KeyValueStore store = new KeyValueStore();

    @Test
    void putReturnsOkWithoutValueForANewKeyAndThePreviousValueOtherwise() {
        assertEquals(KeyValueResult.ok(Optional.empty()), run(store, KeyValueOperations.put(utf8("k"), utf8("one"))));
        assertEquals(KeyValueResult.ok(Optional.of(utf8("one"))),
                run(store, KeyValueOperations.put(utf8("k"), utf8("two"))));
        assertEquals(Map.of(utf8("k"), utf8("two")), store.contents());
    }

    @Test
    void getReturnsTheValueOrNotFound() {
        assertEquals(KeyValueResult.notFound(), run(store, KeyValueOperations.get(utf8("k"))));
        run(store, KeyValueOperations.put(utf8("k"), utf8("v")));
        assertEquals(KeyValueResult.ok(Optional.of(utf8("v"))), run(store, KeyValueOperations.get(utf8("k"))));
    }

    @Test
    void anEmptyValueIsAValueNotAnAbsence() {
        run(store, KeyValueOperations.put(utf8("k"), Bytes.EMPTY));
        assertEquals(KeyValueResult.ok(Optional.of(Bytes.EMPTY)), run(store, KeyValueOperations.get(utf8("k"))));
        assertEquals(Status.COMPARE_FAILED,
                run(store, KeyValueOperations.compareAndSet(utf8("k"), Optional.empty(), utf8("x"))).status());
        assertEquals(Status.OK,
                run(store, KeyValueOperations.compareAndSet(utf8("k"), Optional.of(Bytes.EMPTY), utf8("x"))).status());
        assertEquals(utf8("x"), store.contents().get(utf8("k")));
    }

    @Test
    void deleteReturnsTheRemovedValueOrNotFound() {
        run(store, KeyValueOperations.put(utf8("k"), utf8("v")));
        assertEquals(KeyValueResult.ok(Optional.of(utf8("v"))), run(store, KeyValueOperations.delete(utf8("k"))));
        assertTrue(store.contents().isEmpty());
        assertEquals(KeyValueResult.notFound(), run(store, KeyValueOperations.delete(utf8("k"))));
        assertTrue(store.contents().isEmpty());
    }

    @Test
    void compareAndSetSucceedsWhenTheCurrentValueMatches() {
        run(store, KeyValueOperations.put(utf8("k"), utf8("old")));
        assertEquals(KeyValueResult.ok(Optional.empty()),
                run(store, KeyValueOperations.compareAndSet(utf8("k"), Optional.of(utf8("old")), utf8("new"))));
        assertEquals(utf8("new"), store.contents().get(utf8("k")));
    }

    @Test
    void compareAndSetFailsWithTheCurrentValueAndChangesNothing() {
        run(store, KeyValueOperations.put(utf8("k"), utf8("actual")));
        Digest before = store.stateDigest();
        assertEquals(KeyValueResult.compareFailed(Optional.of(utf8("actual"))),
                run(store, KeyValueOperations.compareAndSet(utf8("k"), Optional.of(utf8("other")), utf8("new"))));
        assertEquals(KeyValueResult.compareFailed(Optional.of(utf8("actual"))),
                run(store, KeyValueOperations.compareAndSet(utf8("k"), Optional.empty(), utf8("new"))));
        assertEquals(before, store.stateDigest());
    }

    @Test
    void compareAndSetWithNoExpectedValueCreatesAnAbsentKey() {
        assertEquals(KeyValueResult.ok(Optional.empty()),
                run(store, KeyValueOperations.compareAndSet(utf8("k"), Optional.empty(), utf8("first"))));
        assertEquals(utf8("first"), store.contents().get(utf8("k")));
    }

    @Test
    void compareAndSetExpectingAValueOnAnAbsentKeyFailsWithNoCurrentValue() {
        assertEquals(KeyValueResult.compareFailed(Optional.empty()),
                run(store, KeyValueOperations.compareAndSet(utf8("k"), Optional.of(utf8("v")), utf8("new"))));
        assertTrue(store.contents().isEmpty());
    }

    @Test
    void executeReturnsOneResultPerOperationInOrder() {
        List<Bytes> results = store.execute(7, List.of(
                operation(KeyValueOperations.put(utf8("a"), utf8("1"))),
                operation(Bytes.ofUtf8("garbage")),
                operation(KeyValueOperations.get(utf8("a"))),
                operation(KeyValueOperations.delete(utf8("b")))));
        assertEquals(4, results.size());
        assertEquals(Status.OK, KeyValueOperations.decodeResult(results.get(0)).status());
        assertEquals(Status.INVALID, KeyValueOperations.decodeResult(results.get(1)).status());
        assertEquals(KeyValueResult.ok(Optional.of(utf8("1"))), KeyValueOperations.decodeResult(results.get(2)));
        assertEquals(KeyValueResult.notFound(), KeyValueOperations.decodeResult(results.get(3)));
        assertTrue(store.execute(8, List.of()).isEmpty());
    }

    @Test
    void executeReadOnlyAnswersGets() {
        run(store, KeyValueOperations.put(utf8("k"), utf8("v")));
        assertEquals(KeyValueResult.ok(Optional.of(utf8("v"))), runReadOnly(store, KeyValueOperations.get(utf8("k"))));
        assertEquals(KeyValueResult.notFound(), runReadOnly(store, KeyValueOperations.get(utf8("absent"))));
    }

    @Test
    void executeReadOnlyRejectsEveryWriteAndChangesNothing() {
        run(store, KeyValueOperations.put(utf8("k"), utf8("v")));
        Digest before = store.stateDigest();
        List<Bytes> writes = List.of(
                KeyValueOperations.put(utf8("k"), utf8("other")),
                KeyValueOperations.put(utf8("new"), utf8("v")),
                KeyValueOperations.delete(utf8("k")),
                KeyValueOperations.compareAndSet(utf8("k"), Optional.of(utf8("v")), utf8("other")));
        for (Bytes write : writes) {
            KeyValueResult result = runReadOnly(store, write);
            assertEquals(Status.INVALID, result.status());
            assertTrue(result.detail().contains("read-only"), result.detail());
        }
        assertEquals(before, store.stateDigest());
        assertEquals(Map.of(utf8("k"), utf8("v")), store.contents());
    }

    /** Clients in other languages build these bytes from kv.proto; the encoding must not drift. */
    @Test
    void operationsUseTheDocumentedProtobufEncoding() {
        assertEquals("0a060a016b120176", KeyValueOperations.put(utf8("k"), utf8("v")).toHex());
        assertEquals("12030a016b", KeyValueOperations.get(utf8("k")).toHex());
        assertEquals("1a030a016b", KeyValueOperations.delete(utf8("k")).toHex());
        assertEquals("22090a016b1201761a0177",
                KeyValueOperations.compareAndSet(utf8("k"), Optional.of(utf8("v")), utf8("w")).toHex());
        assertEquals("22080a016b12001a0177",
                KeyValueOperations.compareAndSet(utf8("k"), Optional.of(Bytes.EMPTY), utf8("w")).toHex());
        assertEquals("22060a016b1a0177",
                KeyValueOperations.compareAndSet(utf8("k"), Optional.empty(), utf8("w")).toHex());
    }

    @Test
    void onlyGetIsReadOnly() {
        assertTrue(KeyValueOperations.isReadOnly(KeyValueOperations.get(utf8("k"))));
        assertFalse(KeyValueOperations.isReadOnly(KeyValueOperations.put(utf8("k"), utf8("v"))));
        assertFalse(KeyValueOperations.isReadOnly(KeyValueOperations.delete(utf8("k"))));
        assertFalse(KeyValueOperations.isReadOnly(
                KeyValueOperations.compareAndSet(utf8("k"), Optional.empty(), utf8("v"))));
        assertFalse(KeyValueOperations.isReadOnly(Bytes.EMPTY));
        assertFalse(KeyValueOperations.isReadOnly(Bytes.fromHex("ffffffff")));
    }

    @Test
    void decodeResultRejectsBytesThatAreNotAResult() {
        assertThrows(IllegalArgumentException.class, () -> KeyValueOperations.decodeResult(Bytes.fromHex("ff")));
        IllegalArgumentException noStatus =
                assertThrows(IllegalArgumentException.class, () -> KeyValueOperations.decodeResult(Bytes.EMPTY));
        assertTrue(noStatus.getMessage().contains("status"), noStatus.getMessage());
        // status NOT_FOUND (field 1 = 2) with a value (field 2, one byte): contradicts the result's invariant
        assertThrows(IllegalArgumentException.class,
                () -> KeyValueOperations.decodeResult(Bytes.fromHex("0802120178")));
        // status OK followed by unknown field 9
        assertThrows(IllegalArgumentException.class,
                () -> KeyValueOperations.decodeResult(Bytes.fromHex("08014801")));
    }

    @Test
    void resultsReadWellAndKeepTheirInvariants() {
        assertEquals("OK", KeyValueResult.ok(Optional.empty()).toString());
        assertEquals("OK value=\"alice\"", KeyValueResult.ok(Optional.of(utf8("alice"))).toString());
        assertEquals("OK value=0x00ff", KeyValueResult.ok(Optional.of(Bytes.fromHex("00ff"))).toString());
        assertEquals("NOT_FOUND", KeyValueResult.notFound().toString());
        assertEquals("COMPARE_FAILED current=absent", KeyValueResult.compareFailed(Optional.empty()).toString());
        assertEquals("COMPARE_FAILED current=\"x\"", KeyValueResult.compareFailed(Optional.of(utf8("x"))).toString());
        assertEquals("INVALID: key is empty", KeyValueResult.invalid("key is empty").toString());
        assertThrows(IllegalArgumentException.class,
                () -> new KeyValueResult(Status.NOT_FOUND, Optional.of(utf8("v"))));
        assertThrows(IllegalArgumentException.class,
                () -> new KeyValueResult(Status.OK, Optional.empty(), "why"));
    }

    @Test
    void resultsSurviveTheirEncoding() {
        List<KeyValueResult> results = List.of(
                KeyValueResult.ok(Optional.empty()),
                KeyValueResult.ok(Optional.of(Bytes.EMPTY)),
                KeyValueResult.ok(Optional.of(utf8("v"))),
                KeyValueResult.notFound(),
                KeyValueResult.compareFailed(Optional.empty()),
                KeyValueResult.compareFailed(Optional.of(utf8("current"))),
                KeyValueResult.invalid("key is empty"));
        for (KeyValueResult result : results) {
            assertEquals(result, KeyValueOperations.decodeResult(ResultCodec.encode(result)));
        }
    }

    @Test
    void limitsMustBeSensible() {
        assertThrows(IllegalArgumentException.class, () -> new KeyValueLimits(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new KeyValueLimits(10, -1));
        assertEquals(new KeyValueLimits(1024, 1024 * 1024), KeyValueLimits.defaults());
    }
}
