package io.concordat.protocol;

import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Signed;
import java.util.List;

/**
 * Which batch the application is executing. One batch is handed out at a time, so the client sessions,
 * which change when a batch is handed out, are exactly as of the last executed batch whenever a
 * checkpoint digest is computed.
 */
final class ExecutionProgress {
    private long lastExecutedSequence;
    private boolean inProgress;
    private long executingSequence;
    private List<Signed<ClientRequest>> executingRequests = List.of();
    private boolean checkpointDue;

    void start(long sequence, List<Signed<ClientRequest>> requests, boolean checkpointDue) {
        Invariants.check(!inProgress, "sequence %d handed out while %d executes", sequence, executingSequence);
        Invariants.check(sequence == lastExecutedSequence + 1, "sequence %d handed out after %d", sequence,
                lastExecutedSequence);
        this.inProgress = true;
        this.executingSequence = sequence;
        this.executingRequests = List.copyOf(requests);
        this.checkpointDue = checkpointDue;
    }

    void finish() {
        Invariants.check(inProgress, "no batch is executing");
        lastExecutedSequence = executingSequence;
        inProgress = false;
        executingRequests = List.of();
        checkpointDue = false;
    }

    /** State transfer installed the state at {@code sequence}: execution continues from there. */
    void resetTo(long sequence) {
        Invariants.check(!inProgress, "state transfer while sequence %d executes", executingSequence);
        lastExecutedSequence = sequence;
    }

    long lastExecutedSequence() {
        return lastExecutedSequence;
    }

    boolean inProgress() {
        return inProgress;
    }

    long executingSequence() {
        return executingSequence;
    }

    List<Signed<ClientRequest>> executingRequests() {
        return executingRequests;
    }

    boolean checkpointDue() {
        return checkpointDue;
    }

    @Override
    public String toString() {
        return inProgress ? "executing " + executingSequence : "nothing executing after " + lastExecutedSequence;
    }
}
