package io.concordat.app.kv;

import static io.concordat.app.kv.KeyValueTesting.operation;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.concordat.common.Bytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs thousands of random operations, in random batch sizes, against the store and against a plain
 * {@link HashMap} model written directly from the documented semantics, and requires identical results and
 * contents. A small key space makes collisions, CAS matches and deletes of present keys frequent.
 */
class KeyValueStoreModelTest {
    private static final int OPERATIONS = 5_000;
    private static final int KEY_SPACE = 12;

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 42, 1234, 987654321})
    void theStoreBehavesLikeAHashMap(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        KeyValueStore store = new KeyValueStore();
        Map<Bytes, Bytes> model = new HashMap<>();
        int executed = 0;
        long sequence = 0;
        while (executed < OPERATIONS) {
            int batchSize = 1 + random.nextInt(8);
            List<Bytes> payloads = new ArrayList<>();
            List<KeyValueResult> expected = new ArrayList<>();
            for (int index = 0; index < batchSize; index++) {
                ModelOperation modelOperation = randomOperation(random);
                payloads.add(modelOperation.encode());
                expected.add(applyToModel(model, modelOperation));
            }
            List<io.concordat.app.Operation> batch = new ArrayList<>();
            payloads.forEach(payload -> batch.add(operation(payload)));
            List<Bytes> results = store.execute(++sequence, batch);
            assertEquals(batchSize, results.size());
            for (int index = 0; index < batchSize; index++) {
                int operationNumber = executed + index;
                assertEquals(expected.get(index), KeyValueOperations.decodeResult(results.get(index)),
                        () -> "seed " + seed + ", operation " + operationNumber);
            }
            executed += batchSize;
            if (random.nextInt(100) == 0) {
                assertSnapshotRoundTrips(store);
            }
        }
        assertEquals(new TreeMap<>(model), store.contents(), "seed " + seed);
        KeyValueStore rebuilt = new KeyValueStore();
        model.forEach((key, value) -> rebuilt.execute(0, List.of(operation(KeyValueOperations.put(key, value)))));
        assertEquals(rebuilt.stateDigest(), store.stateDigest(), "seed " + seed);
    }

    private static void assertSnapshotRoundTrips(KeyValueStore store) {
        KeyValueStore copy = new KeyValueStore();
        copy.restore(store.snapshot());
        assertEquals(store.stateDigest(), copy.stateDigest());
    }

    private enum Kind { PUT, GET, DELETE, COMPARE_AND_SET, EMPTY_KEY_GET, GARBAGE }

    /** A random operation as the model sees it; {@link #encode()} is what the store receives. */
    private record ModelOperation(Kind kind, Bytes key, Optional<Bytes> expectedValue, Bytes value) {
        Bytes encode() {
            switch (kind) {
                case PUT:
                    return KeyValueOperations.put(key, value);
                case GET:
                    return KeyValueOperations.get(key);
                case DELETE:
                    return KeyValueOperations.delete(key);
                case COMPARE_AND_SET:
                    return KeyValueOperations.compareAndSet(key, expectedValue, value);
                case EMPTY_KEY_GET:
                    return KeyValueOperations.get(Bytes.EMPTY);
                default:
                    return Bytes.fromHex("ff");
            }
        }
    }

    private static ModelOperation randomOperation(SplittableRandom random) {
        int draw = random.nextInt(20);
        Kind kind = draw < 6 ? Kind.PUT
                : draw < 10 ? Kind.GET
                : draw < 14 ? Kind.DELETE
                : draw < 18 ? Kind.COMPARE_AND_SET
                : draw == 18 ? Kind.EMPTY_KEY_GET
                : Kind.GARBAGE;
        Optional<Bytes> expectedValue = random.nextInt(3) == 0 ? Optional.empty() : Optional.of(randomValue(random));
        return new ModelOperation(kind, randomKey(random), expectedValue, randomValue(random));
    }

    private static Bytes randomKey(SplittableRandom random) {
        return Bytes.wrap(new byte[] {(byte) random.nextInt(KEY_SPACE), (byte) (random.nextBoolean() ? 0x80 : 0x01)});
    }

    /** Few distinct values, including the empty one, so compare-and-set often matches. */
    private static Bytes randomValue(SplittableRandom random) {
        int choice = random.nextInt(4);
        return choice == 0 ? Bytes.EMPTY : Bytes.ofUtf8("v" + choice);
    }

    /** The documented semantics, written independently of the store. */
    private static KeyValueResult applyToModel(Map<Bytes, Bytes> model, ModelOperation operation) {
        Bytes key = operation.key();
        switch (operation.kind()) {
            case PUT:
                return KeyValueResult.ok(Optional.ofNullable(model.put(key, operation.value())));
            case GET:
                return model.containsKey(key)
                        ? KeyValueResult.ok(Optional.of(model.get(key)))
                        : KeyValueResult.notFound();
            case DELETE:
                return model.containsKey(key)
                        ? KeyValueResult.ok(Optional.of(model.remove(key)))
                        : KeyValueResult.notFound();
            case COMPARE_AND_SET:
                Optional<Bytes> current = Optional.ofNullable(model.get(key));
                if (!current.equals(operation.expectedValue())) {
                    return KeyValueResult.compareFailed(current);
                }
                model.put(key, operation.value());
                return KeyValueResult.ok(Optional.empty());
            case EMPTY_KEY_GET:
                return KeyValueResult.invalid("key is empty");
            default:
                return KeyValueResult.invalid(
                        "operation is not a valid protobuf encoding of concordat.kv.v1.KeyValueOperation");
        }
    }
}
