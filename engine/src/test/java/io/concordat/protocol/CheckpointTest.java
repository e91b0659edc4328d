package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.protocol.ScenarioCluster.ScenarioClient;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Checkpoints, stable checkpoints, garbage collection and watermarks (PBFT §4.3). K = 4, L = 8. */
class CheckpointTest {
    private final ScenarioCluster cluster = new ScenarioCluster(1, ScenarioCluster.smallConfiguration());

    /** Orders {@code count} requests one after another, each in its own sequence number. */
    private void orderRequests(int count) {
        ScenarioClient client = cluster.client(0);
        for (int index = 0; index < count; index++) {
            client.submit(KeyValueOperations.put(Bytes.ofUtf8("key" + index), Bytes.ofUtf8("value" + index)));
            cluster.deliverAll();
        }
    }

    @Test
    void section4_3_everyReplicaTakesTheSameCheckpointEveryKSequenceNumbers() {
        orderRequests(8);
        for (long sequence : List.of(4L, 8L)) {
            Set<Digest> digests = cluster.replicas.stream()
                    .map(replica -> taken(replica.replica().replicaId(), sequence))
                    .collect(Collectors.toSet());
            assertEquals(1, digests.size(), "replicas agree on the state digest at " + sequence);
        }
    }

    @Test
    void section4_3_aCheckpointWith2fPlus1MatchingMessagesBecomesStableAndTheLogBelowIsCollected() {
        orderRequests(4);
        for (int replica = 0; replica < cluster.size(); replica++) {
            ReplicaStatus status = cluster.core(replica).status();
            assertEquals(4, status.lowWatermark(), "replica " + replica);
            assertEquals(12, status.highWatermark());
            assertEquals(taken(replica, 4), status.stableCheckpointDigest().orElseThrow());
            assertTrue(cluster.persistedBy(replica).stream().anyMatch(event ->
                    event instanceof ProtocolEvent.CheckpointStabilized stable && stable.sequence() == 4
                            && stable.proof().size() >= 3));
        }
        // Garbage collected: a prepare for a collected sequence number is obsolete.
        var prepare = new MessageSigner(cluster.keys.get(2).signer(), cluster.codec)
                .sign(new Prepare(0, 3, Batch.NULL.digest(), 2));
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(prepare)));
        assertEquals(DropReason.OBSOLETE, lastDrop(1).reason());
    }

    @Test
    void section4_3_aCheckpointIsNotStableWithFewerThan2fPlus1Messages() {
        ScenarioClient client = cluster.client(0);
        for (int index = 0; index < 4; index++) {
            client.submit(KeyValueOperations.put(Bytes.ofUtf8("k" + index), Bytes.ofUtf8("v")));
            cluster.deliver(message -> !message.kind().equals("Checkpoint"));
        }
        // Replica 1 has its own checkpoint; give it exactly one more (2f = 2 messages, not 3).
        cluster.deliver(message -> message.kind().equals("Checkpoint") && message.toReplica() == 1 && message.from() == 2);
        assertEquals(0, cluster.core(1).status().lowWatermark());
        cluster.deliver(message -> message.kind().equals("Checkpoint") && message.toReplica() == 1 && message.from() == 3);
        assertEquals(4, cluster.core(1).status().lowWatermark());
    }

    @Test
    void section4_3_messagesAboveTheHighWatermarkAreDroppedWithTheReason() {
        var prepare = new MessageSigner(cluster.keys.get(2).signer(), cluster.codec)
                .sign(new Prepare(0, 9, Batch.NULL.digest(), 2));
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(prepare)));
        assertEquals(DropReason.OUTSIDE_WATERMARKS, lastDrop(1).reason());
        var checkpoint = new MessageSigner(cluster.keys.get(2).signer(), cluster.codec)
                .sign(new Checkpoint(12, Batch.NULL.digest(), 2));
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(checkpoint)));
        assertEquals(DropReason.OUTSIDE_WATERMARKS, lastDrop(1).reason());
    }

    @Test
    void section4_3_thePrimaryStopsAtTheHighWatermarkUntilACheckpointIsStable() {
        ScenarioClient client = cluster.client(0);
        // Order 8 batches while withholding every checkpoint message: the window (0, 8] fills up.
        for (int index = 0; index < 9; index++) {
            client.submit(KeyValueOperations.put(Bytes.ofUtf8("k" + index), Bytes.ofUtf8("v")));
            cluster.deliver(message -> !message.kind().equals("Checkpoint"));
        }
        assertEquals(8, cluster.core(0).status().lastExecutedSequence());
        assertEquals(1, cluster.core(0).status().pendingRequests(), "the ninth request waits for the window");
        cluster.deliverAll();
        assertEquals(9, cluster.core(0).status().lastExecutedSequence(), "a stable checkpoint moved the window");
        assertEquals(8, cluster.core(0).status().lowWatermark());
    }

    @Test
    void section4_3_aCheckpointAtASequenceThatIsNotAMultipleOfKIsMalformed() {
        var checkpoint = new MessageSigner(cluster.keys.get(2).signer(), cluster.codec)
                .sign(new Checkpoint(3, Batch.NULL.digest(), 2));
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(checkpoint)));
        assertEquals(DropReason.MALFORMED, lastDrop(1).reason());
    }

    private Digest taken(int replica, long sequence) {
        return cluster.checkpointsOf(replica).stream()
                .filter(notice -> notice instanceof CheckpointNotice.Taken taken && taken.sequence() == sequence)
                .map(notice -> ((CheckpointNotice.Taken) notice).stateDigest()).findFirst()
                .orElseThrow(() -> new AssertionError("replica " + replica + " took no checkpoint at " + sequence));
    }

    private Dropped lastDrop(int replica) {
        List<Dropped> drops = cluster.droppedBy(replica);
        return drops.get(drops.size() - 1);
    }
}
