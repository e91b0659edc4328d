package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Batching bounded by count and delay, pipelining inside the window, and the status retransmission. */
class BatchingAndRetransmissionTest {
    private final ScenarioCluster cluster = new ScenarioCluster(1, ScenarioCluster.smallConfiguration());

    private static Bytes put(int index) {
        return KeyValueOperations.put(Bytes.ofUtf8("k" + index), Bytes.ofUtf8("v" + index));
    }

    private List<Envelope.PrePrepareEnvelope> prePreparesToReplica1() {
        return cluster.queued(message -> message.toReplica() == 1 && message.kind().equals("PrePrepare")).stream()
                .map(message -> (Envelope.PrePrepareEnvelope) message.envelope()).toList();
    }

    @Test
    void batchesAreBoundedByCountAndSeveralSequenceNumbersAreInFlight() {
        // batchMaxRequests = 2. The first request goes out alone at once (nothing in flight), the rest fill
        // batches of two while the first is in flight: pipelining inside the window.
        for (int index = 0; index < 5; index++) {
            cluster.client(index).submit(put(index), 0);
            cluster.deliver(message -> message.toReplica() == 0);
        }
        List<Envelope.PrePrepareEnvelope> prePrepares = prePreparesToReplica1();
        assertEquals(List.of(1, 2, 2), prePrepares.stream().map(p -> p.batch().requests().size()).toList());
        assertEquals(List.of(1L, 2L, 3L), prePrepares.stream().map(p -> p.prePrepare().body().sequence()).toList());
        cluster.deliverAll();
        assertEquals(3, cluster.core(3).status().lastExecutedSequence());
    }

    @Test
    void aPartialBatchWaitsForTheBatchDelayWhileEarlierBatchesAreInFlight() {
        cluster.client(0).submit(put(0), 0);
        cluster.client(1).submit(put(1), 0);
        cluster.deliver(message -> message.toReplica() == 0);
        assertEquals(1, prePreparesToReplica1().size(), "the second request waits: one batch is in flight");
        assertTrue(cluster.readies.get(0).stream().flatMap(ready -> ready.timers().stream())
                .anyMatch(change -> change instanceof TimerChange.Started started
                        && started.timer() == TimerChange.Timer.BATCH));
        cluster.tick(0, 2);
        assertEquals(2, prePreparesToReplica1().size(), "the batch delay of 2 ticks expired");
    }

    @Test
    void aReplicaThatLostCommitsRecoversThemThroughStatus() {
        cluster.client(0).submit(put(0));
        cluster.deliver(message -> !(message.kind().equals("Commit") && message.toReplica() == 3));
        cluster.drop(message -> message.toReplica() == 3);
        assertEquals(0, cluster.core(3).status().lastExecutedSequence());
        assertEquals(1, cluster.core(0).status().lastExecutedSequence());

        // Replica 3 makes no progress for a status interval, so it multicasts STATUS; others resend.
        cluster.tick(3, 10);
        assertTrue(!cluster.queued(message -> message.from() == 3 && message.kind().equals("Status")).isEmpty());
        cluster.deliverAll();
        assertEquals(1, cluster.core(3).status().lastExecutedSequence());
        assertEquals(cluster.stores.get(0).stateDigest(), cluster.stores.get(3).stateDigest());
    }

    @Test
    void aHealthyClusterSendsNoStatusMessages() {
        for (int index = 0; index < 3; index++) {
            cluster.client(index).submit(put(index));
            cluster.deliverAll();
            cluster.tickAll(3);
            cluster.deliverAll();
        }
        cluster.tickAll(20);
        assertTrue(cluster.queued(message -> message.kind().equals("Status")).isEmpty());
    }
}
