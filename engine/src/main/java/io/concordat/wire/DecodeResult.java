package io.concordat.wire;

import io.concordat.protocol.message.Envelope;
import java.util.Objects;

/** The outcome of decoding an envelope: the envelope, or the reason it was rejected. */
public sealed interface DecodeResult {

    record Decoded(Envelope envelope) implements DecodeResult {
        public Decoded {
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /** @param detail a human-readable explanation for logs; never contains more than a few input bytes */
    record Rejected(DecodeError error, String detail) implements DecodeResult {
        public Rejected {
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
