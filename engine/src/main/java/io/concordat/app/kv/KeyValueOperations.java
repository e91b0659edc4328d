package io.concordat.app.kv;

import io.concordat.common.Bytes;
import java.util.Optional;

/**
 * Builds the operation bytes that {@link KeyValueStore} executes and reads the result bytes it returns,
 * for clients, the CLI and the simulator. The encodings are the protobuf messages of
 * {@code engine/src/main/proto/kv.proto} (package {@code concordat.kv.v1}), so clients in other languages
 * can produce them too. See {@link KeyValueStore} for what each operation returns.
 *
 * <p>The builders do not check {@link KeyValueLimits}: the limits belong to the replicas, which return
 * INVALID for an operation that breaks them.
 */
public final class KeyValueOperations {

    private KeyValueOperations() {}

    public static Bytes put(Bytes key, Bytes value) {
        return OperationCodec.encode(new KeyValueCommand.Put(key, value));
    }

    public static Bytes get(Bytes key) {
        return OperationCodec.encode(new KeyValueCommand.Get(key));
    }

    public static Bytes delete(Bytes key) {
        return OperationCodec.encode(new KeyValueCommand.Delete(key));
    }

    /**
     * Stores {@code newValue} under {@code key} if its current value equals {@code expectedValue}; an empty
     * {@code expectedValue} means the key must be absent.
     */
    public static Bytes compareAndSet(Bytes key, Optional<Bytes> expectedValue, Bytes newValue) {
        return OperationCodec.encode(new KeyValueCommand.CompareAndSet(key, expectedValue, newValue));
    }

    /**
     * True for a get, the only operation a client may send as a read-only request (PBFT §5.1.3). False for
     * every other operation and for bytes that are not an operation, which then go through ordering and
     * come back INVALID.
     */
    public static boolean isReadOnly(Bytes operation) {
        return OperationCodec.parse(operation) instanceof KeyValueCommand.Get;
    }

    /**
     * Decodes a result returned by {@link KeyValueStore}.
     *
     * @throws IllegalArgumentException if the bytes are not a valid {@code concordat.kv.v1.KeyValueOperationResult}
     */
    public static KeyValueResult decodeResult(Bytes result) {
        return ResultCodec.decode(result);
    }
}
