package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueResult;
import io.concordat.common.Bytes;
import io.concordat.protocol.ScenarioCluster.ScenarioClient;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Signed;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Client sessions and exactly-once execution (PBFT §4.1) and read-only requests (§5.1.3). */
class ClientSessionTest {
    private final ScenarioCluster cluster = new ScenarioCluster(1, ScenarioCluster.smallConfiguration());
    private final ScenarioClient client = cluster.client(0);

    private static Bytes increment(String key, String value) {
        return KeyValueOperations.put(Bytes.ofUtf8(key), Bytes.ofUtf8(value));
    }

    @Test
    void section4_1_aRetransmittedRequestGetsTheCachedReplyAndIsNotExecutedAgain() {
        Signed<ClientRequest> request = client.submit(increment("k", "v"));
        cluster.deliverAll();
        var digestBefore = cluster.stores.get(1).stateDigest();
        int repliesBefore = cluster.inbox(client.id()).size();

        client.resend(request);
        cluster.deliverAll();

        assertEquals(repliesBefore + 4, cluster.inbox(client.id()).size(), "every replica resent its cached reply");
        assertEquals(1, cluster.core(1).status().lastExecutedSequence(), "nothing new was ordered");
        assertEquals(digestBefore, cluster.stores.get(1).stateDigest());
    }

    @Test
    void section4_1_anOlderRequestNumberIsIgnored() {
        Signed<ClientRequest> first = client.submit(increment("k", "1"));
        cluster.deliverAll();
        client.submit(increment("k", "2"));
        cluster.deliverAll();
        int replies = cluster.inbox(client.id()).size();

        client.resend(first);
        cluster.deliverAll();

        assertEquals(replies, cluster.inbox(client.id()).size());
        assertEquals(DropReason.STALE_REQUEST, last(cluster.droppedBy(1)).reason());
        assertEquals(2, cluster.core(1).status().lastExecutedSequence());
    }

    @Test
    void section4_1_aRequestOrderedTwiceByTheLogExecutesOnce() {
        // A faulty primary (simulated by signing with its key) orders the same request at two sequence numbers.
        Signed<ClientRequest> request = client.request(increment("k", "v"));
        MessageSigner primary = new MessageSigner(cluster.keys.get(0).signer(), cluster.codec);
        Batch batch = new Batch(List.of(request));
        for (long sequence = 1; sequence <= 2; sequence++) {
            var prePrepare = primary.sign(new PrePrepare(0, sequence, batch.digest(), 0));
            for (int backup = 1; backup < cluster.size(); backup++) {
                cluster.step(backup, new Input.Receive(new Envelope.PrePrepareEnvelope(prePrepare, batch)));
            }
        }
        cluster.deliver(message -> message.toReplica() != 0);

        for (int backup = 1; backup < cluster.size(); backup++) {
            List<Execution.ExecuteBatch> executed = cluster.executedBy(backup);
            assertEquals(2, executed.size());
            assertEquals(1, executed.get(0).requests().size());
            assertEquals(0, executed.get(1).requests().size(), "the second copy is skipped deterministically");
        }
    }

    @Test
    void section5_1_3_aReadOnlyRequestIsAnsweredWithoutOrdering() {
        client.submit(increment("k", "v"));
        cluster.deliverAll();
        Signed<ClientRequest> read = client.request(2, KeyValueOperations.get(Bytes.ofUtf8("k")), true);
        client.resend(read);
        cluster.deliverAll();

        var replies = client.replies(2);
        assertEquals(4, replies.size());
        for (var reply : replies.values()) {
            assertTrue(reply.body().readOnly());
            KeyValueResult result = KeyValueOperations.decodeResult(reply.body().result());
            assertEquals(KeyValueResult.Status.OK, result.status());
            assertEquals(Bytes.ofUtf8("v"), result.value().orElseThrow());
        }
        assertEquals(1, cluster.core(1).status().lastExecutedSequence(), "the read was not ordered");
    }

    @Test
    void anOversizedOperationIsRejectedBeforeItsSignatureIsChecked() {
        // The wire decoder rejects this too; the core checks again because an embedder may configure a
        // smaller requestMaxBytes than the wire limit. Step the core directly, past the codec.
        int limit = cluster.configuration.requestMaxBytes();
        Signed<ClientRequest> request = client.request(Bytes.wrap(new byte[limit + 1]));
        cluster.step(1, new Input.Receive(new Envelope.MessageEnvelope(request)));
        assertEquals(DropReason.OVERSIZED, last(cluster.droppedBy(1)).reason());
        assertEquals(0, cluster.core(1).status().pendingRequests());
    }

    @Test
    void aRequestWithAForgedSignatureChangesNothing() {
        Signed<ClientRequest> genuine = client.request(increment("k", "v"));
        byte[] signature = genuine.signature().toByteArray();
        signature[0] ^= 0x40;
        Signed<ClientRequest> forged = new Signed<>(genuine.body(), genuine.encoded(), Bytes.wrap(signature));
        cluster.fromClient(new Envelope.MessageEnvelope(forged));
        cluster.deliverAll();
        for (int replica = 0; replica < cluster.size(); replica++) {
            assertEquals(DropReason.BAD_SIGNATURE, last(cluster.droppedBy(replica)).reason());
            assertEquals(0, cluster.core(replica).status().lastExecutedSequence());
            assertEquals(0, cluster.core(replica).status().pendingRequests());
        }
    }

    private static Dropped last(List<Dropped> drops) {
        assertTrue(!drops.isEmpty(), "nothing was dropped");
        return drops.get(drops.size() - 1);
    }
}
