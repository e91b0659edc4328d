package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A replica stranded alone in a later view still executes what the view it left committed (found by the H2
 * crash campaign on CI: after all four replicas were killed, one suspected the primary before it caught up,
 * moved to the next view alone and stayed 37 batches behind once the load stopped). Its VIEW-CHANGE keeps it
 * out of the old view (PBFT §4.4), so it takes no part there; it only executes batches proven committed by
 * 2f+1 commits of one view (§4.2).
 */
class EarlierViewCommitsTest {
    private static final int TIMEOUT = 40;
    private static final int STRANDED = 3;
    private final ScenarioCluster cluster = new ScenarioCluster(1,
            ScenarioCluster.smallConfiguration().withViewChangeTimeoutTicks(TIMEOUT, 10));
    private final ScenarioCluster.ScenarioClient client = cluster.client(0);

    /**
     * Replica 3 executes one batch, then gets no more pre-prepares: the second request waits there until it
     * suspects the primary alone, while the others, which executed it, stay in view 0. Once it waits for the
     * NEW-VIEW, {@code alsoCut} drops messages to it as well.
     */
    private void strandReplicaThreeInViewOne(Predicate<ScenarioCluster.InFlight> alsoCut) {
        client.submit(put("first"));
        run(message -> false, 10);
        assertEquals(1, cluster.core(STRANDED).status().lastExecutedSequence());
        client.submit(put("second"));
        run(message -> message.toReplica() == STRANDED && message.envelope() instanceof Envelope.PrePrepareEnvelope
                || !cluster.core(STRANDED).viewActive() && alsoCut.test(message), 4 * TIMEOUT);
        assertEquals(1, cluster.core(STRANDED).status().view(), "replica 3 suspected the primary");
        assertFalse(cluster.core(STRANDED).viewActive(), "alone, replica 3 waits for a NEW-VIEW of view 1");
        assertEquals(1, cluster.core(STRANDED).status().lastExecutedSequence());
        for (int replica = 0; replica < STRANDED; replica++) {
            assertEquals(0, cluster.core(replica).status().view(), "one VIEW-CHANGE is not f+1");
            assertEquals(2, cluster.core(replica).status().lastExecutedSequence());
        }
    }

    @Test
    void aReplicaStrandedInALaterViewExecutesWhatTheViewItLeftCommitted() {
        strandReplicaThreeInViewOne(message -> false);
        run(message -> false, 4 * TIMEOUT);
        assertEquals(2, cluster.core(STRANDED).status().lastExecutedSequence());
        assertEquals(cluster.stores.get(0).stateDigest(), cluster.stores.get(STRANDED).stateDigest());
        assertEquals(1, cluster.core(STRANDED).status().view(), "it stays in its view until the next view change");
        assertEquals(0, cluster.core(0).status().view());
        assertEquals(1, cluster.executedBy(STRANDED).stream().filter(batch -> batch.sequence() == 2).count(),
                "sequence 2 executed once");
    }

    @Test
    void fewerThanTwoFPlusOneCommitsOfTheLeftViewAreNotEnough() {
        // Replica 2's commit reaches replica 3 neither from replica 2 nor relayed by the others: with f = 1,
        // the commits of replicas 0 and 1 are one short of a commit certificate.
        Predicate<ScenarioCluster.InFlight> commitOfReplicaTwo = message -> message.toReplica() == STRANDED
                && isCommitSignedBy(message, 2);
        strandReplicaThreeInViewOne(commitOfReplicaTwo);
        run(commitOfReplicaTwo, 4 * TIMEOUT);
        assertEquals(1, cluster.core(STRANDED).status().lastExecutedSequence());
        run(message -> false, 4 * TIMEOUT);
        assertEquals(2, cluster.core(STRANDED).status().lastExecutedSequence());
    }

    private static boolean isCommitSignedBy(ScenarioCluster.InFlight message, int replica) {
        return message.envelope() instanceof Envelope.MessageEnvelope envelope
                && envelope.message().body() instanceof Commit commit && commit.replicaId() == replica;
    }

    /** Ticks every replica and delivers what they send, except what {@code cut} drops. */
    private void run(Predicate<ScenarioCluster.InFlight> cut, int ticks) {
        for (int tick = 0; tick < ticks; tick++) {
            cluster.tickAll(1);
            cluster.deliver(cut.negate());
            cluster.drop(cut);
        }
    }

    private static Bytes put(String value) {
        return KeyValueOperations.put(Bytes.ofUtf8("key"), Bytes.ofUtf8(value));
    }
}
