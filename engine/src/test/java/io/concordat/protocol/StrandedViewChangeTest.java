package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.ScenarioCluster.ScenarioClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A finding of the process-level crash campaign (chaos-tests, KillCampaignTest), now a regression test for
 * the quorum-contact rule in {@code ViewChangeProtocol}. After every replica was
 * stopped at once and started again, the backup that is up first hears nothing from the primary, whose
 * process is still starting, for a whole timeout: it suspects the primary and sends a VIEW-CHANGE for the
 * next view, alone. The other replicas come up in the old view, hear from their primary and carry on. The
 * lone replica cannot go back (its VIEW-CHANGE promised not to take part in the old view, PBFT §4.4), and the
 * others join a higher view only on f+1 VIEW-CHANGE messages (§4.5.2), so it sits out, executing nothing, as
 * one of the f faulty replicas, until the others change view for some other reason. Now a replica suspects
 * only after hearing from 2f others for a whole timeout, so the lone replica never starts that view change.
 */
class StrandedViewChangeTest {
    private static final int TIMEOUT = 40;
    private final ScenarioCluster cluster = new ScenarioCluster(1,
            ScenarioCluster.smallConfiguration().withViewChangeTimeoutTicks(TIMEOUT, 10));
    private final ScenarioClient client = cluster.client(0);

    @Test
    void aBackupThatIsUpBeforeThePrimaryAfterAFullRestartEndsInTheSameViewAsTheOthers() {
        for (int request = 0; request < 3; request++) {
            client.submit(put("before", "v" + request));
            runAll(5);
        }
        assertEquals(3, cluster.core(0).status().lastExecutedSequence());

        // Every replica stops at once and starts again from what it persisted; replica 3 is up first.
        List<List<ProtocolEvent>> journals = new ArrayList<>();
        for (int replica = 0; replica < cluster.size(); replica++) {
            journals.add(cluster.persistedBy(replica));
        }
        cluster.drop(message -> true);
        cluster.restart(3, journals.get(3));
        for (int tick = 0; tick < 2 * TIMEOUT; tick++) {
            cluster.step(3, new Input.Tick());
            cluster.drop(message -> true);
        }
        // The others are up now, and the clients carry on.
        for (int replica = 0; replica < 3; replica++) {
            cluster.restart(replica, journals.get(replica));
        }
        for (int request = 0; request < 10; request++) {
            client.submit(put("after", "v" + request));
            runAll(5);
        }
        runAll(10 * TIMEOUT);

        ReplicaStatus others = cluster.core(0).status();
        assertTrue(others.lastExecutedSequence() >= 13, "the cluster kept serving: " + others);
        ReplicaStatus lone = cluster.core(3).status();
        assertEquals(others.view(), lone.view(), "replica 3 is in view " + lone.view() + " (active: "
                + cluster.core(3).viewActive() + "), the others in view " + others.view());
        assertEquals(others.lastExecutedSequence(), lone.lastExecutedSequence());
    }

    private void runAll(int ticks) {
        for (int tick = 0; tick < ticks; tick++) {
            cluster.tickAll(1);
            cluster.deliverAll();
        }
    }

    private static Bytes put(String key, String value) {
        return KeyValueOperations.put(Bytes.ofUtf8(key), Bytes.ofUtf8(value));
    }
}
