package io.concordat.app.kv;

import io.concordat.common.Bytes;
import java.util.Objects;
import java.util.Optional;

/** A decoded key-value operation, or the reason its bytes do not form a valid one. */
sealed interface KeyValueCommand {

    record Put(Bytes key, Bytes value) implements KeyValueCommand {
        public Put {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    record Get(Bytes key) implements KeyValueCommand {
        public Get {
            Objects.requireNonNull(key, "key");
        }
    }

    record Delete(Bytes key) implements KeyValueCommand {
        public Delete {
            Objects.requireNonNull(key, "key");
        }
    }

    /** An empty {@code expectedValue} means the key must be absent. */
    record CompareAndSet(Bytes key, Optional<Bytes> expectedValue, Bytes newValue) implements KeyValueCommand {
        public CompareAndSet {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(expectedValue, "expectedValue");
            Objects.requireNonNull(newValue, "newValue");
        }
    }

    /** Bytes that are not a valid operation; {@code reason} becomes the INVALID result's detail. */
    record Malformed(String reason) implements KeyValueCommand {
        public Malformed {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
