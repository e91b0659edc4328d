package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The first cause of the campaign's stalled seeds (docs/chaos.md, Findings; campaign seed 1300): a replica
 * waiting for a NEW-VIEW resends only its VIEW-CHANGE, which the replicas still in the old view drop as a
 * duplicate. If that did not count as contact, the contact rule of PBFT deviation 3 (suspect the primary only
 * after hearing from 2f others for a whole timeout) would keep them from ever suspecting a crashed primary:
 * with f = 1, each hears only one other replica that still sends fresh messages. PBFT §4.4 and §4.5.2.
 */
class ViewChangeContactTest {
    private static final int TIMEOUT = 40;
    private final ScenarioCluster cluster = new ScenarioCluster(1,
            ScenarioCluster.smallConfiguration().withViewChangeTimeoutTicks(TIMEOUT, 10));

    @Test
    void replicasInTheOldViewCountTheRetransmittedViewChangeOfAStrandedReplicaAsContact() {
        ScenarioCluster.ScenarioClient client = cluster.client(0);
        client.submit(put("before"));
        for (int tick = 0; tick < 10; tick++) {
            cluster.tickAll(1);
            cluster.deliverAll();
        }
        assertEquals(1, cluster.core(1).status().lastExecutedSequence());

        // The primary crashes; a request waits at the backups while replicas 1 and 2 cannot hear each other.
        // Replica 3 hears both, suspects the primary and moves to view 1 alone; its VIEW-CHANGE reaches them.
        client.submit(put("after"), 1, 2, 3);
        runWithout(message -> message.from() == 1 && message.toReplica() == 2
                || message.from() == 2 && message.toReplica() == 1, 4 * TIMEOUT);
        assertEquals(1, cluster.core(3).status().view());
        assertTrue(!cluster.core(3).viewActive(), "replica 3 waits for the NEW-VIEW of view 1");
        assertEquals(0, cluster.core(1).status().view(), "one VIEW-CHANGE is not f+1: replica 1 stays in view 0");

        // The partition heals. From now on replica 3 sends only copies of the VIEW-CHANGE 1 and 2 already hold.
        runWithout(message -> false, 10 * TIMEOUT);
        for (int replica = 1; replica < cluster.size(); replica++) {
            assertEquals(1, cluster.core(replica).status().view(), "replica " + replica + "'s view");
            assertTrue(cluster.core(replica).viewActive(), "replica " + replica + " entered view 1");
            assertEquals(2, cluster.core(replica).status().lastExecutedSequence(), "replica " + replica
                    + " executed the waiting request");
        }
    }

    /** With replica 0 down: ticks the others and delivers what they send, except what {@code cut} drops. */
    private void runWithout(Predicate<ScenarioCluster.InFlight> cut, int ticks) {
        Predicate<ScenarioCluster.InFlight> lost = message -> message.toReplica() == 0 || cut.test(message);
        for (int tick = 0; tick < ticks; tick++) {
            for (int replica = 1; replica < cluster.size(); replica++) {
                cluster.tick(replica, 1);
            }
            cluster.deliver(lost.negate());
            cluster.drop(lost);
        }
    }

    private static Bytes put(String value) {
        return KeyValueOperations.put(Bytes.ofUtf8("key"), Bytes.ofUtf8(value));
    }
}
