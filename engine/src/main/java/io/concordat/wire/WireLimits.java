package io.concordat.wire;

/**
 * Bounds the decoder enforces on untrusted input, so that no peer can make a replica buffer or allocate
 * without limit.
 *
 * @param maxEnvelopeBytes the largest serialized envelope accepted; checked before any parsing
 * @param maxOperationBytes the largest client operation accepted
 * @param maxBatchRequests the most client requests one pre-prepare's batch may carry; counted before the
 *     batch is materialised
 */
public record WireLimits(int maxEnvelopeBytes, int maxOperationBytes, int maxBatchRequests) {
    public static final int DEFAULT_MAX_ENVELOPE_BYTES = 16 * 1024 * 1024;
    public static final int DEFAULT_MAX_OPERATION_BYTES = 64 * 1024;
    public static final int DEFAULT_MAX_BATCH_REQUESTS = 4096;

    public WireLimits {
        if (maxEnvelopeBytes < 1) {
            throw new IllegalArgumentException("maxEnvelopeBytes must be at least 1, got " + maxEnvelopeBytes);
        }
        if (maxOperationBytes < 0) {
            throw new IllegalArgumentException("maxOperationBytes must not be negative, got " + maxOperationBytes);
        }
        if (maxOperationBytes > maxEnvelopeBytes) {
            throw new IllegalArgumentException("maxOperationBytes (" + maxOperationBytes
                    + ") must not exceed maxEnvelopeBytes (" + maxEnvelopeBytes + ")");
        }
        if (maxBatchRequests < 1) {
            throw new IllegalArgumentException("maxBatchRequests must be at least 1, got " + maxBatchRequests);
        }
    }

    /** 16 MiB envelopes, 64 KiB operations, 4096 requests per batch. */
    public static WireLimits defaults() {
        return new WireLimits(DEFAULT_MAX_ENVELOPE_BYTES, DEFAULT_MAX_OPERATION_BYTES, DEFAULT_MAX_BATCH_REQUESTS);
    }
}
