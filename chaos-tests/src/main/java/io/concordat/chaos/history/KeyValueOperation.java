package io.concordat.chaos.history;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import java.util.Objects;
import java.util.Optional;

/** One operation on the reference key-value store, as a client invokes it; every operation names one key. */
public sealed interface KeyValueOperation {
    Bytes key();

    /** The operation's bytes for {@link io.concordat.client.BftClient} ({@link KeyValueOperations}). */
    Bytes encode();

    record Put(Bytes key, Bytes value) implements KeyValueOperation {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }

        @Override
        public Bytes encode() {
            return KeyValueOperations.put(key, value);
        }

        @Override
        public String toString() {
            return "put(" + key.toUtf8() + ", " + value.toUtf8() + ")";
        }
    }

    record Get(Bytes key) implements KeyValueOperation {
        public Get {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public Bytes encode() {
            return KeyValueOperations.get(key);
        }

        @Override
        public String toString() {
            return "get(" + key.toUtf8() + ")";
        }
    }

    record Delete(Bytes key) implements KeyValueOperation {
        public Delete {
            Objects.requireNonNull(key, "key");
        }

        @Override
        public Bytes encode() {
            return KeyValueOperations.delete(key);
        }

        @Override
        public String toString() {
            return "delete(" + key.toUtf8() + ")";
        }
    }

    /** An empty {@code expectedValue} means the key must be absent. */
    record CompareAndSet(Bytes key, Optional<Bytes> expectedValue, Bytes newValue) implements KeyValueOperation {
        public CompareAndSet {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expectedValue, "expectedValue");
            Objects.requireNonNull(newValue, "newValue");
        }

        @Override
        public Bytes encode() {
            return KeyValueOperations.compareAndSet(key, expectedValue, newValue);
        }

        @Override
        public String toString() {
            return "cas(" + key.toUtf8() + ", " + expectedValue.map(Bytes::toUtf8).orElse("absent") + " -> "
                    + newValue.toUtf8() + ")";
        }
    }
}
