package io.concordat.chaos.history;

import io.concordat.app.kv.KeyValueResult;
import java.util.Objects;

/**
 * One operation in a client history, as the client saw it: when it was invoked, and either the result it
 * accepted and when, or that its outcome is unknown (it timed out or failed: it may have taken effect at
 * any time after its invocation, or never). Times are {@link System#nanoTime()} readings of one JVM: the
 * invocation taken before the request is sent, the completion after the result arrived, so the interval
 * contains the moment the replicas executed it.
 *
 * @param client which client issued it (a client has one operation outstanding at a time)
 * @param operation what it asked for
 * @param invokedNanos when it was invoked
 * @param outcome its result, or unknown
 */
public record HistoryOperation(int client, KeyValueOperation operation, long invokedNanos, Outcome outcome) {

    /** How an operation ended, as far as the client knows. */
    public sealed interface Outcome {}

    /** The client accepted {@code result} (f+1 matching replies, or 2f+1 for a read-only get). */
    public record Acknowledged(long completedNanos, KeyValueResult result) implements Outcome {
        public Acknowledged {
            Objects.requireNonNull(result, "result");
        }
    }

    /** The client gave up or failed; the operation may or may not have taken effect. */
    public record Unknown(String reason) implements Outcome {
        public Unknown {
            Objects.requireNonNull(reason, "reason");
        }
    }

    public HistoryOperation {
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(outcome, "outcome");
        if (outcome instanceof Acknowledged acknowledged && acknowledged.completedNanos() < invokedNanos) {
            throw new IllegalArgumentException("an operation cannot complete (" + acknowledged.completedNanos()
                    + ") before it is invoked (" + invokedNanos + ")");
        }
    }

    public static HistoryOperation acknowledged(int client, KeyValueOperation operation, long invokedNanos,
            long completedNanos, KeyValueResult result) {
        return new HistoryOperation(client, operation, invokedNanos, new Acknowledged(completedNanos, result));
    }

    public static HistoryOperation unknown(int client, KeyValueOperation operation, long invokedNanos, String reason) {
        return new HistoryOperation(client, operation, invokedNanos, new Unknown(reason));
    }

    public boolean isAcknowledged() {
        return outcome instanceof Acknowledged;
    }

    /** The result, for an acknowledged operation. */
    public KeyValueResult result() {
        if (outcome instanceof Acknowledged acknowledged) {
            return acknowledged.result();
        }
        throw new IllegalStateException(this + " has no result");
    }

    @Override
    public String toString() {
        String ending = outcome instanceof Acknowledged acknowledged
                ? "completed " + acknowledged.completedNanos() + " " + acknowledged.result()
                : "unknown (" + ((Unknown) outcome).reason() + ")";
        return "client " + client + " " + operation + " invoked " + invokedNanos + ", " + ending;
    }
}
