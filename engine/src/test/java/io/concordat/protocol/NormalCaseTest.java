package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.ScenarioCluster.InFlight;
import io.concordat.protocol.ScenarioCluster.ScenarioClient;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The three-phase normal case of PBFT §4.2, over the pure core with real signatures and the real codec. */
class NormalCaseTest {
    private final ScenarioCluster cluster = new ScenarioCluster(1, ScenarioCluster.smallConfiguration());
    private final ScenarioClient client = cluster.client(0);

    private static Bytes put(String key, String value) {
        return KeyValueOperations.put(Bytes.ofUtf8(key), Bytes.ofUtf8(value));
    }

    private static boolean kind(InFlight message, String kind) {
        return message.kind().equals(kind);
    }

    @Test
    void section4_2_aRequestIsOrderedExecutedAndRepliedToByEveryReplica() {
        client.submit(put("k", "v"));
        cluster.deliverAll();

        Set<Digest> digests = cluster.replicas.stream()
                .map(replica -> replica.replica().status().lastExecutedSequence() == 1
                        ? cluster.executedBy(replica.replica().replicaId()).get(0).batchDigest() : null)
                .collect(Collectors.toSet());
        assertEquals(1, digests.size(), "every replica executed the same batch at sequence 1");
        assertFalse(digests.contains(null));
        var replies = client.replies(1);
        assertEquals(4, replies.size());
        assertEquals(1, replies.values().stream().map(reply -> reply.body().result()).distinct().count());
        for (var store : cluster.stores) {
            assertEquals(cluster.stores.get(0).stateDigest(), store.stateDigest());
        }
    }

    @Test
    void section4_2_preparedNeedsThePrePrepareAnd2fMatchingPrepares() {
        client.submit(put("k", "v"));
        cluster.deliver(message -> kind(message, "ClientRequest") || kind(message, "PrePrepare"));
        // Backup 1 sent its own prepare; it needs 2f = 2 matching prepares, so one from another backup.
        cluster.drop(message -> kind(message, "Prepare") && message.toReplica() == 1);
        assertTrue(cluster.queued(message -> message.from() == 1 && kind(message, "Commit")).isEmpty());
        cluster.deliver(message -> kind(message, "Prepare") && message.toReplica() != 1);
        assertTrue(cluster.queued(message -> message.from() == 1 && kind(message, "Commit")).isEmpty(),
                "backup 1 holds only its own prepare: not prepared");

        Signed<Prepare> fromBackup2 = signedPrepareFrom(2);
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(fromBackup2)));
        assertEquals(3, cluster.queued(message -> message.from() == 1 && kind(message, "Commit")).size(),
                "with its own and backup 2's prepare, backup 1 is prepared and multicasts a commit");
    }

    @Test
    void section4_2_committedLocalNeeds2fPlus1MatchingCommitsAndExecutesOnlyThen() {
        client.submit(put("k", "v"));
        cluster.deliver(message -> !kind(message, "Commit"));
        assertEquals(0, cluster.core(1).status().lastExecutedSequence());
        // Replica 1 holds its own commit; one more is 2f = 2, not yet 2f+1.
        cluster.deliver(message -> kind(message, "Commit") && message.toReplica() == 1 && message.from() == 0);
        assertEquals(0, cluster.core(1).status().lastExecutedSequence());
        cluster.deliver(message -> kind(message, "Commit") && message.toReplica() == 1 && message.from() == 2);
        assertEquals(1, cluster.core(1).status().lastExecutedSequence());
        assertTrue(cluster.persistedBy(1).stream().anyMatch(ProtocolEvent.BatchCommitted.class::isInstance));
    }

    @Test
    void section4_2_executionIsStrictlyInSequenceOrder() {
        ScenarioClient other = cluster.client(1);
        client.submit(put("a", "1"));
        cluster.deliver(message -> kind(message, "ClientRequest"));
        // The primary proposed sequence 1 at once; sequence 2 waits for the batch delay while 1 is in flight.
        other.submit(put("b", "2"));
        cluster.deliver(message -> kind(message, "ClientRequest"));
        cluster.tick(0, 2);
        List<InFlight> prePrepares = cluster.queued(message -> kind(message, "PrePrepare"));
        assertEquals(6, prePrepares.size(), "two pre-prepares to three backups");
        // Deliver everything about sequence 2 first: it commits but must not execute before 1.
        cluster.deliver(message -> sequenceOf(message) == 2);
        assertEquals(0, cluster.core(1).status().lastExecutedSequence());
        assertTrue(cluster.executedBy(1).isEmpty());
        cluster.deliverAll();
        assertEquals(List.of(1L, 2L), cluster.executedBy(1).stream().map(Execution.ExecuteBatch::sequence).toList());
    }

    @Test
    void section4_2_aBackupDropsAPrePrepareFromANonPrimary() {
        Signed<PrePrepare> forged = new MessageSigner(cluster.keys.get(2).signer(), cluster.codec)
                .sign(new PrePrepare(0, 1, Batch.NULL.digest(), 2));
        cluster.step(1, new Input.Receive(new Envelope.PrePrepareEnvelope(forged, Batch.NULL)));
        assertEquals(DropReason.NOT_FROM_PRIMARY, lastDrop(1).reason());
        assertTrue(cluster.queued(message -> message.from() == 1).isEmpty(), "nothing was sent in response");
    }

    @Test
    void section4_2_aSecondPrePrepareWithAnotherDigestForTheSameSequenceIsRejected() {
        MessageSigner primary = new MessageSigner(cluster.keys.get(0).signer(), cluster.codec);
        Batch first = new Batch(List.of(client.request(put("a", "1"))));
        Batch second = new Batch(List.of(client.request(put("a", "2"))));
        cluster.step(1, new Input.Receive(new Envelope.PrePrepareEnvelope(
                primary.sign(new PrePrepare(0, 1, first.digest(), 0)), first)));
        cluster.step(1, new Input.Receive(new Envelope.PrePrepareEnvelope(
                primary.sign(new PrePrepare(0, 1, second.digest(), 0)), second)));
        assertEquals(DropReason.CONFLICTING, lastDrop(1).reason());
        assertEquals(1, cluster.persistedBy(1).stream().filter(ProtocolEvent.PrepareSent.class::isInstance).count(),
                "backup 1 prepared only the first digest");
    }

    @Test
    void section4_2_aBatchThatDoesNotHashToItsDigestIsRejected() {
        MessageSigner primary = new MessageSigner(cluster.keys.get(0).signer(), cluster.codec);
        Batch announced = new Batch(List.of(client.request(put("a", "1"))));
        Batch delivered = new Batch(List.of(client.request(put("a", "evil"))));
        cluster.step(1, new Input.Receive(new Envelope.PrePrepareEnvelope(
                primary.sign(new PrePrepare(0, 1, announced.digest(), 0)), delivered)));
        assertEquals(DropReason.DIGEST_MISMATCH, lastDrop(1).reason());
        assertEquals(List.of(), cluster.persistedBy(1));
    }

    @Test
    void section4_2_aMessageWithABadSignatureOrFromANonMemberIsDroppedAndCounted() {
        Signed<Prepare> genuine = signedPrepareFrom(2);
        byte[] corrupted = genuine.signature().toByteArray();
        corrupted[10] ^= 0x01;
        Signed<Prepare> forged = new Signed<>(genuine.body(), genuine.encoded(), Bytes.wrap(corrupted));
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(forged)));
        assertEquals(DropReason.BAD_SIGNATURE, lastDrop(1).reason());

        // A message signed by replica 3's key but claiming to come from replica 2.
        Signed<Prepare> impersonation = new MessageSigner(cluster.keys.get(3).signer(), cluster.codec)
                .sign(genuine.body());
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(impersonation)));
        assertEquals(DropReason.BAD_SIGNATURE, lastDrop(1).reason());

        Signed<Prepare> stranger = new MessageSigner(ScenarioCluster.keyFromSeed(77).signer(), cluster.codec)
                .sign(new Prepare(0, 1, genuine.body().batchDigest(), 9));
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(stranger)));
        assertEquals(DropReason.UNKNOWN_SENDER, lastDrop(1).reason());
        assertEquals(2L, cluster.core(1).status().dropCounts().get(DropReason.BAD_SIGNATURE));
        assertEquals(1L, cluster.core(1).status().dropCounts().get(DropReason.UNKNOWN_SENDER));
    }

    @Test
    void section4_2_aBackupThatEquivocatesCountsOnlyOnce() {
        Digest digest = Batch.NULL.digest();
        MessageSigner backup2 = new MessageSigner(cluster.keys.get(2).signer(), cluster.codec);
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(backup2.sign(new Prepare(0, 1, digest, 2)))));
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(
                backup2.sign(new Prepare(0, 1, Sha256.of(Bytes.ofUtf8("other")), 2)))));
        assertEquals(DropReason.CONFLICTING, lastDrop(1).reason());
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(backup2.sign(new Prepare(0, 1, digest, 2)))));
        assertEquals(DropReason.DUPLICATE, lastDrop(1).reason());
    }

    @Test
    void section4_2_everyPrepareAndCommitSentIsListedForPersistenceInTheSameReady() {
        client.submit(put("k", "v"));
        cluster.deliverAll();
        for (int replica = 0; replica < cluster.size(); replica++) {
            for (Ready ready : cluster.readies.get(replica)) {
                for (Outbound outbound : ready.send()) {
                    if (outbound.envelope() instanceof Envelope.MessageEnvelope message
                            && (message.message().body() instanceof Prepare || message.message().body() instanceof Commit)) {
                        assertTrue(ready.persist().stream().anyMatch(event -> sameMessage(event, message.message())),
                                "replica " + replica + " sent " + message.message().body() + " without persisting it");
                    }
                }
            }
        }
    }

    @Test
    void section4_1_theClientAcceptsFPlusOneMatchingRepliesAuthenticatedByReplicas() {
        client.submit(put("k", "v"));
        cluster.deliverAll();
        var replicaKeys = io.concordat.crypto.PairwiseKeys.ofClient(client.key.signer());
        for (Signed<Reply> reply : client.replies(1).values()) {
            var key = cluster.membership.keyOf(reply.body().replicaId()).orElseThrow();
            assertTrue(replicaKeys.with(key).orElseThrow().checkReply(reply.encoded(), reply.signature()),
                    "a reply carries the MAC of the key its replica shares with the client");
            assertEquals(client.id(), reply.body().clientId());
            assertFalse(reply.body().readOnly());
        }
    }

    private static boolean sameMessage(ProtocolEvent event, Signed<?> message) {
        if (event instanceof ProtocolEvent.PrepareSent prepare) {
            return prepare.prepare().equals(message);
        }
        if (event instanceof ProtocolEvent.CommitSent commit) {
            return commit.commit().equals(message);
        }
        return false;
    }

    /** A prepare from {@code backup} for sequence 1, for the digest backup 1 prepared (or the null batch). */
    private Signed<Prepare> signedPrepareFrom(int backup) {
        Digest digest = cluster.persistedBy(1).stream().filter(ProtocolEvent.PrepareSent.class::isInstance)
                .map(event -> ((ProtocolEvent.PrepareSent) event).prepare().body().batchDigest()).findFirst()
                .orElse(Batch.NULL.digest());
        return new MessageSigner(cluster.keys.get(backup).signer(), cluster.codec).sign(new Prepare(0, 1, digest, backup));
    }

    private Dropped lastDrop(int replica) {
        List<Dropped> drops = cluster.droppedBy(replica);
        assertFalse(drops.isEmpty(), "replica " + replica + " dropped nothing");
        return drops.get(drops.size() - 1);
    }

    private static long sequenceOf(InFlight message) {
        if (message.envelope() instanceof Envelope.PrePrepareEnvelope prePrepare) {
            return prePrepare.prePrepare().body().sequence();
        }
        Object body = ((Envelope.MessageEnvelope) message.envelope()).message().body();
        if (body instanceof Prepare prepare) {
            return prepare.sequence();
        }
        if (body instanceof Commit commit) {
            return commit.sequence();
        }
        return -1;
    }
}
