package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Crash recovery of the core from its persisted events: the same state, and no contradiction. */
class RecoveryTest {
    private final ScenarioCluster cluster = new ScenarioCluster(1, ScenarioCluster.smallConfiguration());

    private void order(int from, int count) {
        for (int index = from; index < from + count; index++) {
            cluster.client(index).submit(KeyValueOperations.put(Bytes.ofUtf8("k" + index), Bytes.ofUtf8("v" + index)));
            cluster.deliverAll();
        }
    }

    private record Observed(ReplicaStatus status, Digest applicationDigest, List<ProtocolEvent> history) {}

    private Observed observe(int replica) {
        ReplicaStatus status = cluster.core(replica).status();
        return new Observed(new ReplicaStatus(status.replicaId(), status.view(), status.primary(),
                status.lastExecutedSequence(), status.lowWatermark(), status.highWatermark(),
                status.stableCheckpointDigest(), status.pendingRequests(), java.util.Map.of()),
                cluster.stores.get(replica).stateDigest(), cluster.core(replica).compactedHistory());
    }

    @Test
    void aReplicaRecoveredFromItsWholeJournalHasExactlyThePreCrashState() {
        order(0, 6);
        Observed before = observe(2);
        assertEquals(4, before.status().lowWatermark());

        cluster.restart(2, cluster.persistedBy(2));

        assertEquals(before, observe(2));
        order(6, 3);
        assertEquals(9, cluster.core(2).status().lastExecutedSequence());
        assertEquals(cluster.stores.get(0).stateDigest(), cluster.stores.get(2).stateDigest());
    }

    @Test
    void reExecutionAfterARecoverySignsNoRepliesAndARetransmissionGetsTheReplySentBeforeTheCrash() {
        order(0, 5);
        ScenarioCluster.ScenarioClient client = cluster.client(5);
        Signed<ClientRequest> request = client.submit(KeyValueOperations.put(Bytes.ofUtf8("k5"), Bytes.ofUtf8("v5")));
        cluster.deliverAll();
        Signed<Reply> replyBeforeCrash = repliesFrom(2, client).get(0);
        assertEquals(4, cluster.core(2).status().lowWatermark(), "batches 5 and 6 execute again after the restart");

        Ready recovered = cluster.restart(2, cluster.persistedBy(2));

        assertEquals(6, cluster.core(2).status().lastExecutedSequence());
        assertTrue(recovered.send().stream().noneMatch(outbound -> outbound.destination() instanceof Destination.Client),
                "re-execution signed and sent replies: " + recovered.send());
        client.resend(request, 2);
        cluster.deliverAll();
        List<Signed<Reply>> replies = repliesFrom(2, client);
        assertEquals(2, replies.size(), replies.toString());
        assertEquals(replyBeforeCrash, replies.get(1), "the reply signed again is the one sent before the crash");
    }

    private List<Signed<Reply>> repliesFrom(int replica, ScenarioCluster.ScenarioClient client) {
        return cluster.inbox(client.id()).stream().filter(reply -> reply.body().replicaId() == replica).toList();
    }

    @Test
    void aReplicaRecoveredFromAnUncompactedJournalPastTwoCheckpointsReExecutesBeforeItStabilizes() {
        // Regression (simulator seeds 141, 190, 295, 341, 434): the journal holds the proofs of checkpoints
        // 4 and 8 and the replica's own checkpoint messages; re-execution reaching 4 must not make 8 stable.
        order(0, 10);
        Observed before = observe(2);
        assertEquals(8, before.status().lowWatermark());

        cluster.restart(2, cluster.persistedBy(2));

        assertEquals(before, observe(2));
    }

    @Test
    void aReplicaRecoveredFromACompactedHistoryPlusTheJournalAfterItHasThePreCrashState() {
        order(0, 5);
        List<ProtocolEvent> snapshot = cluster.core(2).compactedHistory();
        assertTrue(snapshot.get(0) instanceof ProtocolEvent.CheckpointStateRecorded);
        int journalPosition = cluster.persistedBy(2).size();
        order(5, 6);
        List<ProtocolEvent> journal = cluster.persistedBy(2);
        List<ProtocolEvent> recovered = new ArrayList<>(snapshot);
        recovered.addAll(journal.subList(journalPosition, journal.size()));
        Observed before = observe(2);

        cluster.restart(2, recovered);

        assertEquals(before, observe(2));
        order(11, 2);
        assertEquals(cluster.stores.get(0).stateDigest(), cluster.stores.get(2).stateDigest());
    }

    @Test
    void aRecoveredReplicaNeverContradictsAPrepareItSentBeforeTheCrash() {
        cluster.client(0).submit(KeyValueOperations.put(Bytes.ofUtf8("a"), Bytes.ofUtf8("1")));
        cluster.deliver(message -> !message.kind().equals("Prepare") && !message.kind().equals("Commit"));
        assertEquals(1, cluster.persistedBy(1).stream().filter(ProtocolEvent.PrepareSent.class::isInstance).count());
        cluster.drop(message -> true);

        cluster.restart(1, cluster.persistedBy(1));
        // A faulty primary now offers a different batch at the same sequence number.
        Batch other = new Batch(List.of(cluster.client(1).request(KeyValueOperations.put(Bytes.ofUtf8("a"),
                Bytes.ofUtf8("2")))));
        var conflicting = new MessageSigner(cluster.keys.get(0).signer(), cluster.codec)
                .sign(new PrePrepare(0, 1, other.digest(), 0));
        Ready ready = cluster.step(1, new Input.Receive(new Envelope.PrePrepareEnvelope(conflicting, other)));

        assertEquals(DropReason.CONFLICTING, ready.dropped().get(0).reason());
        assertTrue(ready.send().isEmpty(), "no second prepare for sequence 1");
    }

    @Test
    void aReplicaThatCrashedDuringAViewChangeIsStillChangingViewsAfterRecovery() {
        ScenarioCluster slow = new ScenarioCluster(1, ScenarioCluster.smallConfiguration().withViewChangeTimeoutTicks(20, 5));
        slow.client(0).submit(KeyValueOperations.put(Bytes.ofUtf8("a"), Bytes.ofUtf8("1")));
        slow.drop(message -> true);
        // The primary is gone; the backups hear each other (they seek contact with STATUS) but no VIEW-CHANGE
        // or NEW-VIEW gets through, so replica 3 is still changing views when it crashes.
        for (int tick = 0; tick < 80 && slow.core(3).status().view() == 0; tick++) {
            for (int replica = 1; replica < 4; replica++) {
                slow.step(replica, new Input.Tick());
            }
            slow.deliver(message -> message.toReplica() != 0 && message.from() != 0
                    && !message.kind().equals("ViewChange") && !message.kind().equals("NewView"));
            slow.drop(message -> true);
        }
        assertEquals(1, slow.core(3).status().view());
        slow.restart(3, slow.persistedBy(3));
        assertEquals(1, slow.core(3).status().view());
        assertTrue(!slow.core(3).viewActive(), "it does not go back to view 0, where it promised not to take part");
    }

    @Test
    void aCorruptRecordedStateRefusesToStartAndSaysHowToRecover() {
        order(0, 4);
        List<ProtocolEvent> snapshot = new ArrayList<>(cluster.core(2).compactedHistory());
        var recorded = (ProtocolEvent.CheckpointStateRecorded) snapshot.get(0);
        byte[] state = recorded.state().toByteArray();
        state[state.length - 3] ^= 0x10;
        snapshot.set(0, new ProtocolEvent.CheckpointStateRecorded(recorded.sequence(), recorded.stateDigest(),
                recorded.proof(), Bytes.wrap(state)));

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> cluster.restart(2, snapshot));
        assertTrue(error.getMessage().contains("checkpoint 4"), error.getMessage());
        assertTrue(error.getMessage().contains("wipe this replica's data directory"), error.getMessage());
    }
}
