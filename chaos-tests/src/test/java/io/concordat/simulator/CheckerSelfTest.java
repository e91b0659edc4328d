package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.Operation;
import io.concordat.app.StateMachine;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.Destination;
import io.concordat.protocol.Outbound;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.Ready;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each checker must fail on a deliberately broken history (and pass on a sound one): a checker that
 * cannot fail would let every seed pass.
 */
class CheckerSelfTest {
    private static final PublicKey ALICE = key(1);
    private static final PublicKey BOB = key(2);

    @Test
    void agreementPassesWhenReplicasExecutedTheSameBatches() {
        assertEquals(List.of(), AgreementChecker.check(List.of(history(0, batch(1, "a", ALICE, 1)),
                history(1, batch(1, "a", ALICE, 1)))));
    }

    @Test
    void agreementFailsOnTwoDigestsAtOneSequence() {
        List<String> violations = AgreementChecker.check(List.of(history(0, batch(1, "a", ALICE, 1)),
                history(1, batch(1, "b", ALICE, 1))));
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).contains("at sequence 1"), violations::toString);
    }

    @Test
    void agreementFailsOnTheSameDigestWithDifferentRequests() {
        List<String> violations = AgreementChecker.check(List.of(history(0, batch(1, "a", ALICE, 1)),
                history(1, batch(1, "a", BOB, 1))));
        assertEquals(1, violations.size(), violations::toString);
    }

    @Test
    void agreementFailsWhenAReplicaExecutesOutOfOrderOrTwice() {
        ReplicaHistory history = new ReplicaHistory(0);
        history.recordExecution(batch(2, "a", ALICE, 1), 7);
        history.recordExecution(batch(2, "a", ALICE, 1), 8);
        List<String> violations = AgreementChecker.check(List.of(history));
        assertEquals(2, violations.size(), violations::toString);
    }

    @Test
    void agreementFailsWhenARestartedReplicaExecutesASequenceDifferently() {
        ReplicaHistory history = history(0, batch(1, "a", ALICE, 1));
        history.recordRestart();
        history.recordExecution(batch(1, "b", ALICE, 1), 9);
        List<String> violations = AgreementChecker.check(List.of(history));
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).contains("twice, differently"), violations::toString);
    }

    @Test
    void agreementAcceptsExecutingAgainAfterARestartAndContinuingAfterARestoredSnapshot() {
        ReplicaHistory history = history(0, batch(1, "a", ALICE, 1), batch(2, "b", BOB, 1));
        history.recordRestart();
        history.recordExecution(batch(1, "a", ALICE, 1), 9);
        history.recordExecution(batch(2, "b", BOB, 1), 9);
        history.recordRestore(8);
        history.recordExecution(batch(9, "c", BOB, 2), 10);
        assertEquals(List.of(), AgreementChecker.check(List.of(history)));
    }

    @Test
    void checkpointPassesOnMatchingDigests() {
        ReplicaHistory first = new ReplicaHistory(0);
        ReplicaHistory second = new ReplicaHistory(1);
        first.recordCheckpoint(false, 4, digest("s4"), 1);
        second.recordCheckpoint(true, 4, digest("s4"), 2);
        assertEquals(List.of(), CheckpointChecker.check(List.of(first, second)));
    }

    @Test
    void checkpointFailsOnDifferentStateDigestsAtOneSequence() {
        ReplicaHistory first = new ReplicaHistory(0);
        ReplicaHistory second = new ReplicaHistory(1);
        first.recordCheckpoint(true, 4, digest("s4"), 1);
        second.recordCheckpoint(true, 4, digest("other"), 2);
        List<String> violations = CheckpointChecker.check(List.of(first, second));
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).contains("at sequence 4"), violations::toString);
    }

    @Test
    void checkpointFailsWhenTakenAndStableDisagree() {
        ReplicaHistory history = new ReplicaHistory(0);
        history.recordCheckpoint(false, 8, digest("taken"), 1);
        history.recordCheckpoint(true, 8, digest("stable"), 2);
        assertEquals(1, CheckpointChecker.check(List.of(history)).size());
    }

    @Test
    void linearizabilityPassesOnASoundHistory() {
        List<ExecutedBatch> log = List.of(batch(1, "a", ALICE, 1), batch(2, "b", BOB, 1));
        List<ClientOperation> operations = List.of(completed(ALICE, 1, 0, 1, "0"), completed(BOB, 1, 2, 3, "1"));
        assertEquals(List.of(), LinearizabilityChecker.check(log, operations, CountingStateMachine::new));
    }

    @Test
    void linearizabilityFailsOnAWrongAcceptedResult() {
        List<ExecutedBatch> log = List.of(batch(1, "a", ALICE, 1));
        List<String> violations = LinearizabilityChecker.check(log, List.of(completed(ALICE, 1, 0, 1, "41")),
                CountingStateMachine::new);
        assertEquals(1, violations.size(), violations::toString);
    }

    @Test
    void linearizabilityFailsOnAResultForARequestNobodyExecuted() {
        List<String> violations = LinearizabilityChecker.check(List.of(), List.of(completed(ALICE, 1, 0, 1, "0")),
                CountingStateMachine::new);
        assertEquals(1, violations.size(), violations::toString);
    }

    @Test
    void linearizabilityFailsWhenTheLogBreaksRealTimeOrder() {
        List<ExecutedBatch> log = List.of(batch(1, "b", BOB, 1), batch(2, "a", ALICE, 1));
        List<ClientOperation> operations = List.of(completed(ALICE, 1, 0, 1, "1"), completed(BOB, 1, 2, 3, "0"));
        List<String> violations = LinearizabilityChecker.check(log, operations, CountingStateMachine::new);
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).contains("completed before"), violations::toString);
    }

    @Test
    void linearizabilityFailsWhenARequestExecutesTwice() {
        List<ExecutedBatch> log = List.of(batch(1, "a", ALICE, 1), batch(2, "a2", ALICE, 1));
        List<String> violations = LinearizabilityChecker.check(log, List.of(), CountingStateMachine::new);
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).startsWith("exactly-once"), violations::toString);
    }

    @Test
    void livenessFailsWhileAnOperationIsPendingOrMissing() {
        ClientOperation pending = ClientOperation.invoked(0, ALICE, 1, Bytes.ofUtf8("op"), 5, 0);
        assertEquals(1, LivenessChecker.check(List.of(pending), 1, 100).size());
        assertEquals(1, LivenessChecker.check(List.of(completed(ALICE, 1, 0, 1, "0")), 2, 100).size());
        assertEquals(List.of(), LivenessChecker.check(List.of(completed(ALICE, 1, 0, 1, "0")), 1, 100));
    }

    @Test
    void orderRuleFailsOnAVoteSentBeforeItWasPersisted() {
        Signed<Prepare> prepare = new Signed<>(new Prepare(0, 1, digest("d"), 2), Bytes.ofUtf8("prepare"), Bytes.EMPTY);
        Outbound send = new Outbound(new Destination.AllReplicas(), new Envelope.MessageEnvelope(prepare));
        PersistBeforeSendChecker unpersisted = new PersistBeforeSendChecker(2);
        unpersisted.record(new Ready(List.of(), List.of(send), List.of(), List.of(), List.of(), List.of()), 3);
        assertEquals(1, unpersisted.violations().size());

        PersistBeforeSendChecker persisted = new PersistBeforeSendChecker(2);
        persisted.record(new Ready(List.of(new ProtocolEvent.PrepareSent(prepare)), List.of(send), List.of(),
                List.of(), List.of(), List.of()), 3);
        persisted.record(new Ready(List.of(), List.of(send), List.of(), List.of(), List.of(), List.of()), 4);
        assertEquals(List.of(), persisted.violations());
    }

    private static ReplicaHistory history(int replicaId, ExecutedBatch... batches) {
        ReplicaHistory history = new ReplicaHistory(replicaId);
        for (ExecutedBatch batch : batches) {
            history.recordExecution(batch, batch.sequence());
        }
        return history;
    }

    private static ExecutedBatch batch(long sequence, String digestSeed, PublicKey client, long requestNumber) {
        ClientRequest request = new ClientRequest(client, requestNumber, Bytes.ofUtf8("op-" + digestSeed), false);
        Signed<ClientRequest> signed = new Signed<>(request, Bytes.ofUtf8(digestSeed), Bytes.EMPTY);
        return new ExecutedBatch(sequence, digest(digestSeed), List.of(signed));
    }

    private static ClientOperation completed(PublicKey client, long requestNumber, long invocationOrder,
            long completionOrder, String result) {
        return ClientOperation.invoked(0, client, requestNumber, Bytes.ofUtf8("op"), invocationOrder, invocationOrder)
                .completed(completionOrder, completionOrder, Bytes.ofUtf8(result));
    }

    private static Digest digest(String text) {
        return Sha256.of(Bytes.ofUtf8(text));
    }

    private static PublicKey key(int fill) {
        byte[] bytes = new byte[PublicKey.SIZE_BYTES];
        java.util.Arrays.fill(bytes, (byte) fill);
        return new PublicKey(Bytes.wrap(bytes));
    }

    /** A state machine whose result is the count of operations before: a wrong log order shows in results. */
    private static final class CountingStateMachine implements StateMachine {
        private long executed;

        @Override
        public List<Bytes> execute(long sequence, List<Operation> operations) {
            List<Bytes> results = new ArrayList<>();
            for (int index = 0; index < operations.size(); index++) {
                results.add(Bytes.ofUtf8(Long.toString(executed++)));
            }
            return results;
        }

        @Override
        public Bytes executeReadOnly(Operation operation) {
            return Bytes.ofUtf8(Long.toString(executed));
        }

        @Override
        public Digest stateDigest() {
            return Sha256.builder().putLong(executed).build();
        }

        @Override
        public Bytes snapshot() {
            return Bytes.ofUtf8(Long.toString(executed));
        }

        @Override
        public void restore(Bytes snapshot) {
            executed = Long.parseLong(snapshot.toUtf8());
        }
    }
}
