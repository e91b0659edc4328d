package io.concordat.app.kv;

/**
 * Size limits that {@link KeyValueStore} enforces on every key and value, so that one client cannot grow a
 * single entry without bound. Every replica must run with the same limits, because an operation accepted
 * by one replica and rejected by another would make their states diverge.
 *
 * @param keyMaxBytes the largest key accepted, in bytes; keys must also be non-empty
 * @param valueMaxBytes the largest value accepted, in bytes (for put, and both values of compare-and-set)
 */
public record KeyValueLimits(int keyMaxBytes, int valueMaxBytes) {
    /** One KiB: enough for structured names, small enough to keep the sorted map cheap to compare. */
    public static final int DEFAULT_KEY_MAX_BYTES = 1024;

    /** One MiB: values of this size still fit comfortably in a PBFT batch. */
    public static final int DEFAULT_VALUE_MAX_BYTES = 1024 * 1024;

    public KeyValueLimits {
        if (keyMaxBytes < 1) {
            throw new IllegalArgumentException("keyMaxBytes must be at least 1, got " + keyMaxBytes);
        }
        if (valueMaxBytes < 0) {
            throw new IllegalArgumentException("valueMaxBytes must not be negative, got " + valueMaxBytes);
        }
    }

    public static KeyValueLimits defaults() {
        return new KeyValueLimits(DEFAULT_KEY_MAX_BYTES, DEFAULT_VALUE_MAX_BYTES);
    }

    /**
     * The largest encoded operation that can pass these limits: a compare-and-set with the largest key and
     * two largest values, plus generous room for protobuf tags and length prefixes. Anything longer is
     * rejected before it is parsed.
     */
    long operationMaxBytes() {
        long protobufOverheadBytes = 64;
        return (long) keyMaxBytes + 2L * valueMaxBytes + protobufOverheadBytes;
    }
}
