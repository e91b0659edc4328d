package io.concordat.app.kv;

import io.concordat.common.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * The decoded result of one key-value operation; see {@link KeyValueStore} for what each operation
 * returns.
 *
 * <p>Invariants: {@code value} is empty for {@link Status#NOT_FOUND} and {@link Status#INVALID};
 * {@code detail} is empty unless the status is {@link Status#INVALID}, where it says why the operation was
 * rejected.
 *
 * @param status what happened
 * @param value the value the operation returns, if any
 * @param detail for {@link Status#INVALID}, a human-readable reason; otherwise empty
 */
public record KeyValueResult(Status status, Optional<Bytes> value, String detail) {

    public enum Status {
        /** The operation succeeded. */
        OK,
        /** A get or delete found no value under the key. */
        NOT_FOUND,
        /** A compare-and-set found a current value other than the expected one, and changed nothing. */
        COMPARE_FAILED,
        /** The operation was malformed, too large, or not allowed here; nothing changed. */
        INVALID
    }

    private static final int PRINTABLE_VALUE_MAX_CHARACTERS = 64;

    public KeyValueResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(detail, "detail");
        if (value.isPresent() && (status == Status.NOT_FOUND || status == Status.INVALID)) {
            throw new IllegalArgumentException("a " + status + " result carries no value");
        }
        if (!detail.isEmpty() && status != Status.INVALID) {
            throw new IllegalArgumentException("only an INVALID result carries a detail, not " + status);
        }
    }

    /** A result without a detail, which is every result except {@link Status#INVALID}. */
    public KeyValueResult(Status status, Optional<Bytes> value) {
        this(status, value, "");
    }

    public static KeyValueResult ok(Optional<Bytes> value) {
        return new KeyValueResult(Status.OK, value);
    }

    public static KeyValueResult notFound() {
        return new KeyValueResult(Status.NOT_FOUND, Optional.empty());
    }

    public static KeyValueResult compareFailed(Optional<Bytes> currentValue) {
        return new KeyValueResult(Status.COMPARE_FAILED, currentValue);
    }

    public static KeyValueResult invalid(String detail) {
        return new KeyValueResult(Status.INVALID, Optional.empty(), detail);
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    /** For example {@code OK value="alice"}, {@code NOT_FOUND}, {@code INVALID: key is empty}. */
    @Override
    public String toString() {
        if (status == Status.INVALID) {
            return "INVALID: " + detail;
        }
        if (status == Status.COMPARE_FAILED) {
            return "COMPARE_FAILED current=" + value.map(KeyValueResult::render).orElse("absent");
        }
        return value.map(present -> status + " value=" + render(present)).orElse(status.name());
    }

    /** Printable ASCII as a quoted string, anything else as a hex prefix. */
    private static String render(Bytes bytes) {
        if (bytes.size() > PRINTABLE_VALUE_MAX_CHARACTERS) {
            return "0x" + bytes;
        }
        for (int index = 0; index < bytes.size(); index++) {
            byte character = bytes.byteAt(index);
            if (character < 0x20 || character > 0x7e || character == '"' || character == '\\') {
                return "0x" + bytes;
            }
        }
        return '"' + bytes.toUtf8() + '"';
    }
}
