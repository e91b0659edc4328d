package io.concordat.client;

import io.concordat.common.Bytes;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of {@link BftClient#read(byte[])}, and how it was obtained. The read-only optimisation
 * (PBFT §5.1.3) answers from 2f+1 matching tentative replies without ordering; when those do not come, the
 * client orders the request instead, and says so here.
 *
 * @param result the agreed result bytes
 * @param fellBack true if the read-only attempt did not get 2f+1 matching replies and the result came from
 *     an ordered request (f+1 matching replies)
 * @param fallbackReason why it fell back, with the replies it did get; empty when it did not fall back
 */
public record ReadResult(Bytes result, boolean fellBack, Optional<String> fallbackReason) {
    public ReadResult {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(fallbackReason, "fallbackReason");
        if (fellBack != fallbackReason.isPresent()) {
            throw new IllegalArgumentException("a fallback reason is given exactly when the read fell back");
        }
    }

    static ReadResult fastPath(Bytes result) {
        return new ReadResult(result, false, Optional.empty());
    }

    static ReadResult fallback(Bytes result, String reason) {
        return new ReadResult(result, true, Optional.of(reason));
    }

    /** The result as a fresh array. */
    public byte[] resultBytes() {
        return result.toByteArray();
    }
}
