package io.concordat.app.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.concordat.app.Operation;
import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import java.util.List;

/** Shared helpers for the key-value store tests. */
final class KeyValueTesting {
    static final PublicKey CLIENT = new PublicKey(Bytes.wrap(new byte[PublicKey.SIZE_BYTES]));

    private KeyValueTesting() {}

    static Bytes utf8(String text) {
        return Bytes.ofUtf8(text);
    }

    static Operation operation(Bytes payload) {
        return new Operation(CLIENT, 1, payload);
    }

    /** Executes one operation as a batch of one and decodes its result. */
    static KeyValueResult run(KeyValueStore store, Bytes payload) {
        List<Bytes> results = store.execute(1, List.of(operation(payload)));
        assertEquals(1, results.size(), "one result per operation");
        return KeyValueOperations.decodeResult(results.get(0));
    }

    static KeyValueResult runReadOnly(KeyValueStore store, Bytes payload) {
        return KeyValueOperations.decodeResult(store.executeReadOnly(operation(payload)));
    }
}
