package io.concordat.protocol;

import java.util.Objects;

/**
 * One ignored input, for logs and metrics.
 *
 * @param messageType the kind of message, for example "Prepare"
 * @param sender who signed it (replica id, or a client key prefix), or "unknown"
 * @param reason the category, counted in metrics
 * @param detail a human-readable explanation with the numbers involved
 */
public record Dropped(String messageType, String sender, DropReason reason, String detail) {
    public Dropped {
        Objects.requireNonNull(messageType, "messageType");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
