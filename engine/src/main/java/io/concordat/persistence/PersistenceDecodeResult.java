package io.concordat.persistence;

import java.util.Objects;

/**
 * The outcome of decoding a stored event or snapshot: the value, or a readable reason it was refused.
 * Decoding never throws on what it reads; damaged storage becomes a {@code Rejected}.
 */
public sealed interface PersistenceDecodeResult<T> {

    record Decoded<T>(T value) implements PersistenceDecodeResult<T> {
        public Decoded {
            Objects.requireNonNull(value, "value");
        }
    }

    /** @param detail what is wrong with the stored bytes, for the operator */
    record Rejected<T>(String detail) implements PersistenceDecodeResult<T> {
        public Rejected {
            Objects.requireNonNull(detail, "detail");
        }
    }
}
