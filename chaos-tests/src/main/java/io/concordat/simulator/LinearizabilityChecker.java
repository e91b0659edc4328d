package io.concordat.simulator;

import io.concordat.app.Operation;
import io.concordat.app.StateMachine;
import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Linearizability of the client history against the agreed log (PBFT §4.5.1 gives it for ordered
 * requests). The agreed log is run on a fresh state machine; then every result a client accepted must
 * be the reference result for that (client, request number), every request appears in the log at most
 * once (exactly-once), and if operation A completed before operation B was invoked, A comes first in
 * the log.
 */
public final class LinearizabilityChecker {
    private static final int REPORTED_MAX = 10;

    private record RequestKey(PublicKey clientId, long requestNumber) {}

    private record LogEntry(long position, long sequence, Bytes result) {}

    private LinearizabilityChecker() {}

    public static List<String> check(List<ExecutedBatch> agreedLog, List<ClientOperation> operations,
            Supplier<StateMachine> freshStateMachine) {
        List<String> violations = new ArrayList<>();
        Map<RequestKey, LogEntry> reference = execute(agreedLog, freshStateMachine.get(), violations);
        for (ClientOperation operation : operations) {
            if (operation.isCompleted()) {
                checkResult(operation, reference.get(key(operation)), violations);
            }
        }
        checkRealTimeOrder(operations, reference, violations);
        return violations.size() <= REPORTED_MAX ? violations : violations.subList(0, REPORTED_MAX);
    }

    private static Map<RequestKey, LogEntry> execute(List<ExecutedBatch> agreedLog, StateMachine stateMachine,
            List<String> violations) {
        Map<RequestKey, LogEntry> reference = new HashMap<>();
        long position = 0;
        for (ExecutedBatch batch : agreedLog) {
            List<Operation> batchOperations = new ArrayList<>();
            for (Signed<ClientRequest> request : batch.requests()) {
                ClientRequest body = request.body();
                batchOperations.add(new Operation(body.clientId(), body.requestNumber(), body.operation()));
            }
            List<Bytes> results = batchOperations.isEmpty() ? List.of()
                    : stateMachine.execute(batch.sequence(), batchOperations);
            for (int index = 0; index < batchOperations.size(); index++) {
                Operation operation = batchOperations.get(index);
                RequestKey key = new RequestKey(operation.clientId(), operation.requestNumber());
                LogEntry earlier = reference.putIfAbsent(key, new LogEntry(position++, batch.sequence(), results.get(index)));
                if (earlier != null) {
                    violations.add("exactly-once: request " + operation.requestNumber() + " of client "
                            + operation.clientId() + " executed at sequence " + earlier.sequence() + " and again at "
                            + batch.sequence());
                }
            }
        }
        return reference;
    }

    private static void checkResult(ClientOperation operation, LogEntry entry, List<String> violations) {
        if (entry == null) {
            violations.add("linearizability: " + operation + " accepted a result, but no correct replica executed it");
        } else if (!entry.result().equals(operation.acceptedResult().orElseThrow())) {
            violations.add("linearizability: " + operation + " accepted " + describe(operation.acceptedResult().get())
                    + " but the agreed log at sequence " + entry.sequence() + " gives " + describe(entry.result()));
        }
    }

    /** Real-time order: an operation that completed before another was invoked precedes it in the log. */
    private static void checkRealTimeOrder(List<ClientOperation> operations, Map<RequestKey, LogEntry> reference,
            List<String> violations) {
        for (ClientOperation earlier : operations) {
            Optional<LogEntry> earlierEntry = Optional.ofNullable(reference.get(key(earlier)));
            if (!earlier.isCompleted() || earlierEntry.isEmpty()) {
                continue;
            }
            for (ClientOperation later : operations) {
                LogEntry laterEntry = reference.get(key(later));
                if (laterEntry != null && earlier.precedes(later) && earlierEntry.get().position() >= laterEntry.position()) {
                    violations.add("linearizability: " + earlier + " completed before " + later
                            + " was invoked, but the log orders it later (sequence " + earlierEntry.get().sequence()
                            + " vs " + laterEntry.sequence() + ")");
                }
            }
        }
    }

    private static RequestKey key(ClientOperation operation) {
        return new RequestKey(operation.clientId(), operation.requestNumber());
    }

    /** A key-value result in words; the checker also runs on other state machines, whose results stay hex. */
    private static String describe(Bytes result) {
        try {
            return KeyValueOperations.decodeResult(result).toString();
        } catch (IllegalArgumentException notKeyValue) {
            return result.toString();
        }
    }
}
