package io.concordat.app;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import java.util.List;

/**
 * The application that Concordat replicates. Every correct replica runs the same operations in the same
 * order, so every method must be deterministic: no clocks, no randomness, no iteration over unordered
 * collections, no I/O whose result can differ between replicas.
 *
 * <p>Calls come from one thread at a time.
 */
public interface StateMachine {

    /**
     * Executes the operations of the batch committed at {@code sequence}, in order, and returns one result
     * per operation. An operation the application rejects (bad encoding, failed precondition) still
     * returns a result that says so; throwing is a bug, because the replicas would disagree on what
     * happened.
     */
    List<Bytes> execute(long sequence, List<Operation> operations);

    /** Answers a read-only operation against the current state, without changing it (PBFT §5.1.3). */
    Bytes executeReadOnly(Operation operation);

    /** The digest of the whole current state; equal states have equal digests on every replica. */
    Digest stateDigest();

    /** The whole current state as bytes, for checkpoints and state transfer. */
    Bytes snapshot();

    /** Replaces the whole state with a snapshot taken by {@link #snapshot()}, possibly on another replica. */
    void restore(Bytes snapshot);
}
