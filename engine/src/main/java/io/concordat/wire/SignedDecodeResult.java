package io.concordat.wire;

import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import java.util.Objects;

/** The outcome of decoding one serialized {@code SignedMessage}: the signed message, or why it was rejected. */
public sealed interface SignedDecodeResult {

    record Decoded(Signed<? extends Signable> message) implements SignedDecodeResult {
        public Decoded {
            Objects.requireNonNull(message, "message");
        }
    }

    record Rejected(DecodeError error, String detail) implements SignedDecodeResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
