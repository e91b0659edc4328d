package io.concordat.protocol;

import io.concordat.app.Operation;
import io.concordat.app.StateMachine;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs a {@link PbftReplica} together with its {@link StateMachine}: every execution the core asks for is
 * carried out at once and its result fed back, until the core asks for nothing more. The returned
 * {@link Ready} is the concatenation of all of them, so its order rule still holds.
 *
 * <p>It also keeps the application snapshot taken at each checkpoint until a later checkpoint is stable,
 * which is what state transfer serves. The simulator and the actor shell both use this class, so they
 * execute in exactly the same way.
 */
public final class ExecutionDriver {
    private final PbftReplica replica;
    private final StateMachine stateMachine;
    private final NavigableMap<Long, Bytes> checkpointSnapshots = new TreeMap<>();

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
            for (CheckpointNotice notice : ready.checkpoints()) {
                if (notice instanceof CheckpointNotice.Stable stable) {
                    checkpointSnapshots.headMap(stable.sequence(), false).clear();
                }
            }
        }
        return all;
    }

    public Ready tick() {
        return step(new Input.Tick());
    }

    /** The application snapshot kept for the checkpoint at {@code sequence}, if it is still retained. */
    public Optional<Bytes> checkpointSnapshot(long sequence) {
        return Optional.ofNullable(checkpointSnapshots.get(sequence));
    }

    private Input execute(Execution execution) {
        if (execution instanceof Execution.ExecuteBatch batch) {
            return executeBatch(batch);
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
        Optional<Digest> digest = Optional.empty();
        if (batch.checkpointDue()) {
            digest = Optional.of(stateMachine.stateDigest());
            checkpointSnapshots.put(batch.sequence(), stateMachine.snapshot());
        }
        return new Input.Executed(batch.sequence(), results, digest);
    }

    private static Operation toOperation(Signed<ClientRequest> request) {
        ClientRequest body = request.body();
        return new Operation(body.clientId(), body.requestNumber(), body.operation());
    }
}
