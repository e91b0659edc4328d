package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One operation in a client's history, for the linearizability checker. Ticks say when; the event
 * orders are a global counter that also orders events within one tick, so "A completed before B was
 * invoked" is exact.
 *
 * @param acceptedResult the result the client accepted from f+1 matching replies; empty while pending
 */
public record ClientOperation(
        int clientIndex,
        PublicKey clientId,
        long requestNumber,
        Bytes operation,
        long invocationTick,
        long invocationOrder,
        OptionalLong completionTick,
        OptionalLong completionOrder,
        Optional<Bytes> acceptedResult) {

    public ClientOperation {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(acceptedResult, "acceptedResult");
    }

    static ClientOperation invoked(int clientIndex, PublicKey clientId, long requestNumber, Bytes operation,
            long tick, long order) {
        return new ClientOperation(clientIndex, clientId, requestNumber, operation, tick, order,
                OptionalLong.empty(), OptionalLong.empty(), Optional.empty());
    }

    ClientOperation completed(long tick, long order, Bytes result) {
        return new ClientOperation(clientIndex, clientId, requestNumber, operation, invocationTick, invocationOrder,
                OptionalLong.of(tick), OptionalLong.of(order), Optional.of(result));
    }

    public boolean isCompleted() {
        return acceptedResult.isPresent();
    }

    /** True if this operation's response came before {@code later} was invoked (real-time order). */
    public boolean precedes(ClientOperation later) {
        return completionOrder.isPresent() && completionOrder.getAsLong() < later.invocationOrder();
    }

    @Override
    public String toString() {
        return "client " + clientIndex + " request " + requestNumber + " (invoked tick " + invocationTick
                + (completionTick.isPresent() ? ", completed tick " + completionTick.getAsLong() : ", pending") + ")";
    }
}
