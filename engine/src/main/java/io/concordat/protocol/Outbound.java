package io.concordat.protocol;

import io.concordat.protocol.message.Envelope;
import java.util.Objects;

/** An envelope to send, and to whom. */
public record Outbound(Destination destination, Envelope envelope) {
    public Outbound {
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(envelope, "envelope");
    }
}
