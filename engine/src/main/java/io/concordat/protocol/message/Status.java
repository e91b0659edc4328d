package io.concordat.protocol.message;

/**
 * A replica's summary of where it is, multicast when it has unfinished work so that others can
 * retransmit what it is missing. This is the status mechanism of Castro's thesis (§5.2, "retransmission"),
 * which PBFT needs for liveness over a network that loses messages.
 */
public record Status(long view, long lastExecutedSequence, long lowWatermark, int replicaId)
        implements ReplicaMessage {}
