package io.concordat.simulator;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Random key-value operations over a few keys, so that clients conflict: puts, gets, deletes and
 * compare-and-sets. Every value written is unique (client and counter), so a wrong read order shows.
 * Compare-and-set expects, half the time, the value this client last saw for the key.
 */
final class OperationGenerator {
    private final int clientIndex;
    private final int keyCount;
    private final SplittableRandom random;
    private final Bytes[] lastWritten;
    private long valueCounter;

    OperationGenerator(int clientIndex, int keyCount, SplittableRandom random) {
        this.clientIndex = clientIndex;
        this.keyCount = keyCount;
        this.random = random;
        this.lastWritten = new Bytes[keyCount];
    }

    Bytes next() {
        int keyIndex = random.nextInt(keyCount);
        Bytes key = Bytes.ofUtf8("key-" + keyIndex);
        int kind = random.nextInt(8);
        if (kind < 3) {
            return KeyValueOperations.put(key, freshValue(keyIndex));
        }
        if (kind < 5) {
            return KeyValueOperations.get(key);
        }
        if (kind < 6) {
            return KeyValueOperations.delete(key);
        }
        Optional<Bytes> expected = random.nextBoolean() && lastWritten[keyIndex] != null
                ? Optional.of(lastWritten[keyIndex]) : Optional.empty();
        return KeyValueOperations.compareAndSet(key, expected, freshValue(keyIndex));
    }

    private Bytes freshValue(int keyIndex) {
        Bytes value = Bytes.ofUtf8("value-" + clientIndex + "-" + (++valueCounter));
        lastWritten[keyIndex] = value;
        return value;
    }
}
