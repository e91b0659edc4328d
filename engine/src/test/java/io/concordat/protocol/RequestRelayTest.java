package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import org.junit.jupiter.api.Test;

/**
 * A client cannot depose a correct primary by sending its request only to backups (found from outside: a put
 * sent only to backups 1 and 2 moved the view from 0 to 1 within 4 s). PBFT §4.1: a backup relays the request
 * to the primary; Concordat's backups do so once the request has waited half a timeout.
 */
class RequestRelayTest {
    private static final int TIMEOUT = 40;
    private final ScenarioCluster cluster = new ScenarioCluster(1,
            ScenarioCluster.smallConfiguration().withViewChangeTimeoutTicks(TIMEOUT, 10));
    private final ScenarioCluster.ScenarioClient client = cluster.client(0);

    @Test
    void aRequestSentOnlyToBackupsIsRelayedAndExecutesWithoutAViewChange() {
        client.submit(put("to backups only"), 1, 2);
        run(6 * TIMEOUT);
        for (int replica = 0; replica < cluster.size(); replica++) {
            assertEquals(0, cluster.core(replica).status().view(), "replica " + replica + " kept view 0");
            assertEquals(1, cluster.core(replica).status().lastExecutedSequence(), "replica " + replica);
        }
    }

    @Test
    void aRequestSentToOneBackupIsRelayedToo() {
        client.submit(put("to backup 3 only"), 3);
        run(6 * TIMEOUT);
        assertEquals(1, cluster.core(0).status().lastExecutedSequence());
        assertEquals(0, cluster.core(3).status().view());
    }

    @Test
    void backupsDoNotRelayRequestsThePrimaryOrdersInTime() {
        client.submit(put("to everyone"));
        run(6 * TIMEOUT);
        assertEquals(1, cluster.core(0).status().lastExecutedSequence());
        assertEquals(0, relayedRequestsSent, "a request the primary ordered at once is never relayed");
    }

    private long relayedRequestsSent;

    private void run(int ticks) {
        for (int tick = 0; tick < ticks; tick++) {
            cluster.tickAll(1);
            relayedRequestsSent += cluster.queued(message -> message.from() > 0 && message.toReplica() == 0
                    && message.envelope() instanceof Envelope.MessageEnvelope single
                    && single.message().body() instanceof ClientRequest).size();
            cluster.deliverAll();
        }
    }

    private static Bytes put(String value) {
        return KeyValueOperations.put(Bytes.ofUtf8("key"), Bytes.ofUtf8(value));
    }
}
