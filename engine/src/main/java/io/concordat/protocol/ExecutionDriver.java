package io.concordat.protocol;

import io.concordat.app.Operation;
import io.concordat.app.StateMachine;
import io.concordat.common.Bytes;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a {@link PbftReplica} together with its {@link StateMachine}: every execution the core asks for is
 * carried out at once and its result fed back, until the core asks for nothing more. The returned
 * {@link Ready} is the concatenation of all of them, so its order rule still holds.
 *
 * <p>At each checkpoint it hands the core the application's digest and snapshot, which the core keeps to
 * serve state transfer; a snapshot fetched by state transfer is restored here. The simulator and the actor
 * shell both use this class, so they execute in exactly the same way.
 */
public final class ExecutionDriver {
    private final PbftReplica replica;
    private final StateMachine stateMachine;

    public ExecutionDriver(PbftReplica replica, StateMachine stateMachine) {
        this.replica = replica;
        this.stateMachine = stateMachine;
    }

    public PbftReplica replica() {
        return replica;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    /** Steps the core with {@code input} and runs every execution that follows from it. */
    public Ready step(Input input) {
        Ready all = Ready.EMPTY;
        List<Input> work = new ArrayList<>();
        work.add(input);
        while (!work.isEmpty()) {
            Ready ready = replica.step(work.remove(0));
            all = all.then(ready);
            for (Execution execution : ready.execute()) {
                work.add(execute(execution));
            }
        }
        return all;
    }

    public Ready tick() {
        return step(new Input.Tick());
    }

    /**
     * Rebuilds the replica from its persisted events ({@link PbftReplica#recover}) and runs what follows:
     * restoring the application from the recovered checkpoint and executing the committed batches again.
     * The state machine must be fresh (empty) when there is no recorded checkpoint state.
     */
    public Ready recover(java.util.List<ProtocolEvent> events) {
        Ready all = replica.recover(events);
        List<Input> work = new ArrayList<>();
        for (Execution execution : all.execute()) {
            work.add(execute(execution));
        }
        for (Input input : work) {
            all = all.then(step(input));
        }
        return all;
    }

    /** The application snapshot kept for the checkpoint at {@code sequence}, if it is still retained. */
    public Optional<Bytes> checkpointSnapshot(long sequence) {
        return replica.checkpointSnapshot(sequence);
    }

    private Input execute(Execution execution) {
        if (execution instanceof Execution.ExecuteBatch batch) {
            return executeBatch(batch);
        }
        if (execution instanceof Execution.RestoreSnapshot restore) {
            return restore(restore);
        }
        Execution.ExecuteReadOnly readOnly = (Execution.ExecuteReadOnly) execution;
        return new Input.ReadOnlyExecuted(readOnly.request(), stateMachine.executeReadOnly(toOperation(readOnly.request())));
    }

    private Input executeBatch(Execution.ExecuteBatch batch) {
        List<Operation> operations = new ArrayList<>(batch.requests().size());
        for (Signed<ClientRequest> request : batch.requests()) {
            operations.add(toOperation(request));
        }
        List<Bytes> results = operations.isEmpty() ? List.of() : stateMachine.execute(batch.sequence(), operations);
        Invariants.check(results.size() == operations.size(), "the state machine returned %d results for %d operations",
                results.size(), operations.size());
        if (!batch.checkpointDue()) {
            return new Input.Executed(batch.sequence(), results);
        }
        return new Input.Executed(batch.sequence(), results, Optional.of(stateMachine.stateDigest()),
                Optional.of(stateMachine.snapshot()));
    }

    /** A snapshot from state transfer; an application that refuses it says why, and the core tries elsewhere. */
    private Input restore(Execution.RestoreSnapshot restore) {
        try {
            stateMachine.restore(restore.applicationSnapshot());
        } catch (IllegalArgumentException refused) {
            return new Input.SnapshotRejected(restore.sequence(), String.valueOf(refused.getMessage()));
        }
        return new Input.SnapshotRestored(restore.sequence(), stateMachine.stateDigest());
    }

    private static Operation toOperation(Signed<ClientRequest> request) {
        ClientRequest body = request.body();
        return new Operation(body.clientId(), body.requestNumber(), body.operation());
    }
}
