package io.concordat.replica;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.Operation;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.protocol.Membership;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Signed;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Sink;

/** Reads a replica's ordered log and checks it against what the clients saw. */
final class AgreedLog {
    private record RequestKey(PublicKey clientId, long requestNumber) {}

    private AgreedLog() {}

    /** Entries 1..{@code lastSequence} of {@code node}'s ordered log, through the public stream API. */
    static List<CommittedEntry> read(ReplicaNode node, long lastSequence, ActorSystem<?> system) {
        return LocalCluster.await(node.orderedLog().from(1)
                .takeWhile(entry -> entry.sequence() < lastSequence, true)
                .runWith(Sink.seq(), system)
                .toCompletableFuture(), Duration.ofSeconds(60));
    }

    /**
     * Replays the log on a fresh key-value store with PBFT's exactly-once rule (a request runs only if its
     * number is above the client's last executed one) and checks: the log is contiguous, each entry has a
     * full commit certificate whose signatures verify, every client result equals the result of this
     * sequential execution, every accepted request executed exactly once, and the final state digest is
     * the replicas' digest.
     */
    static void assertMatchesSequentialExecution(List<CommittedEntry> log, List<VotingTestClient.Outcome> outcomes,
            ExecutedState replicasState, Membership membership) {
        var store = new KeyValueStore();
        Map<PublicKey, Long> lastExecuted = new HashMap<>();
        Map<RequestKey, Bytes> sequentialResults = new HashMap<>();
        long expectedSequence = 1;
        for (CommittedEntry entry : log) {
            assertEquals(expectedSequence++, entry.sequence(), "the ordered log has a gap");
            assertCertified(entry, membership);
            var operations = new ArrayList<Operation>();
            for (Signed<ClientRequest> request : entry.batch().requests()) {
                ClientRequest body = request.body();
                if (body.requestNumber() > lastExecuted.getOrDefault(body.clientId(), 0L)) {
                    lastExecuted.put(body.clientId(), body.requestNumber());
                    operations.add(new Operation(body.clientId(), body.requestNumber(), body.operation()));
                }
            }
            List<Bytes> results = operations.isEmpty() ? List.of() : store.execute(entry.sequence(), operations);
            for (int index = 0; index < operations.size(); index++) {
                Operation operation = operations.get(index);
                Bytes previous = sequentialResults.put(
                        new RequestKey(operation.clientId(), operation.requestNumber()), results.get(index));
                assertEquals(null, previous, "a request executed twice");
            }
        }
        assertEquals(replicasState.lastExecutedSequence(), log.get(log.size() - 1).sequence());
        assertEquals(replicasState.applicationStateDigest(), store.stateDigest(),
                "sequential execution of the agreed log ends in another state than the replicas'");
        for (VotingTestClient.Outcome outcome : outcomes) {
            Bytes sequential = sequentialResults.get(new RequestKey(outcome.clientId(), outcome.requestNumber()));
            assertEquals(sequential, outcome.result(), "client " + outcome.clientId() + " request "
                    + outcome.requestNumber() + " got a result that sequential execution does not give");
        }
        assertEquals(outcomes.size(), sequentialResults.size(), "every accepted request executed exactly once");
    }

    private static void assertCertified(CommittedEntry entry, Membership membership) {
        CommitCertificate certificate = entry.certificate();
        assertTrue(certificate.isComplete(), "sequence " + entry.sequence() + " has only "
                + certificate.commits().size() + " commits");
        assertEquals(entry.batch().digest(), certificate.batchDigest());
        var verifier = new Ed25519Verifier();
        Set<Integer> signers = new HashSet<>();
        for (Signed<Commit> commit : certificate.commits()) {
            Commit body = commit.body();
            assertEquals(entry.sequence(), body.sequence());
            assertEquals(certificate.view(), body.view());
            assertEquals(certificate.batchDigest(), body.batchDigest());
            assertTrue(signers.add(body.replicaId()), "two commits from replica " + body.replicaId());
            assertTrue(verifier.verify(membership.keyOf(body.replicaId()).orElseThrow(), commit.encoded(),
                    commit.signature()), "commit from replica " + body.replicaId() + " does not verify");
        }
        assertTrue(signers.size() >= membership.quorum());
    }
}
