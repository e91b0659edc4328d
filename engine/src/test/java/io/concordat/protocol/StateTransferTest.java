package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.app.Operation;
import io.concordat.app.kv.KeyValueOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.ScenarioCluster.InFlight;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.StateChunk;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** State transfer: catching up past garbage-collected log, Byzantine sources, and repairing divergence. */
class StateTransferTest {
    private final ScenarioCluster cluster = new ScenarioCluster(1, ScenarioCluster.smallConfiguration());

    private static Bytes put(int index) {
        return KeyValueOperations.put(Bytes.ofUtf8("k" + index), Bytes.ofUtf8("v" + index));
    }

    private static boolean touches(InFlight message, int replica) {
        return message.from() == replica || message.toReplica() == replica;
    }

    /** Orders requests while replica 3 is cut off; K = 4 and L = 8, so the others collect past its window. */
    private void orderWhileReplica3IsCutOff(int requests) {
        for (int index = 0; index < requests; index++) {
            cluster.client(index).submit(put(index));
            cluster.deliver(message -> !touches(message, 3));
            cluster.drop(message -> touches(message, 3));
        }
        assertEquals(requests, cluster.core(0).status().lastExecutedSequence());
        assertEquals(0, cluster.core(3).status().lastExecutedSequence());
    }

    /** Runs every replica for {@code ticks}, passing each message through {@code tamper} as it is sent. */
    private void run(int ticks, UnaryOperator<InFlight> tamper) {
        cluster.interceptor = tamper;
        for (int tick = 0; tick < ticks; tick++) {
            cluster.tickAll(1);
            cluster.deliverAll();
        }
        cluster.interceptor = message -> message;
    }

    @Test
    void aReplicaKeptDownAcrossTwoCheckpointsCatchesUpByStateTransfer() {
        orderWhileReplica3IsCutOff(13);
        assertTrue(cluster.core(0).status().lowWatermark() >= 12, "the others collected their log past replica 3");

        run(400, message -> message);

        assertTrue(cluster.persistedBy(3).stream().anyMatch(ProtocolEvent.StateTransferred.class::isInstance));
        assertEquals(13, cluster.core(3).status().lastExecutedSequence());
        assertEquals(cluster.stores.get(0).stateDigest(), cluster.stores.get(3).stateDigest());
        // It takes part again: a new request is executed by replica 3 too.
        cluster.client(99).submit(put(99));
        run(20, message -> message);
        assertEquals(14, cluster.core(3).status().lastExecutedSequence());
        assertEquals(cluster.stores.get(0).stateDigest(), cluster.stores.get(3).stateDigest());
    }

    @Test
    void aByzantineSourceServingBadChunksIsDetectedAndAnotherSourceServes() {
        orderWhileReplica3IsCutOff(13);
        // Whichever replica serves replica 3 first is Byzantine (f = 1): it corrupts every chunk and re-signs
        // it with its own key, so only the digest check can tell.
        int[] byzantine = {-1};
        run(600, message -> {
            if (!(message.envelope() instanceof Envelope.MessageEnvelope envelope)
                    || !(envelope.message().body() instanceof StateChunk chunk)) {
                return message;
            }
            if (byzantine[0] < 0) {
                byzantine[0] = message.from();
            }
            if (message.from() != byzantine[0]) {
                return message;
            }
            byte[] data = chunk.data().toByteArray();
            data[data.length / 2] ^= 0x55;
            StateChunk bad = new StateChunk(chunk.sequence(), chunk.stateDigest(), chunk.chunkIndex(),
                    chunk.chunkCount(), Bytes.wrap(data), chunk.replicaId());
            Signed<StateChunk> signed = new MessageSigner(cluster.keys.get(message.from()).signer(), cluster.codec)
                    .sign(bad);
            Envelope forged = new Envelope.MessageEnvelope(signed);
            return new InFlight(message.from(), message.to(), message.toReplica(), cluster.codec.encodeEnvelope(forged),
                    forged);
        });

        assertTrue(byzantine[0] >= 0, "a state transfer happened");
        assertTrue(cluster.droppedBy(3).stream().anyMatch(drop -> drop.reason() == DropReason.DIGEST_MISMATCH
                && drop.sender().equals("replica-" + byzantine[0])), "the corrupt state was detected and attributed");
        int correct = byzantine[0] == 0 ? 1 : 0;
        assertEquals(cluster.stores.get(correct).stateDigest(), cluster.stores.get(3).stateDigest(),
                "the state came from a correct replica");
        assertEquals(13, cluster.core(3).status().lastExecutedSequence());
    }

    @Test
    void aReplicaWhoseStateDivergedRepairsItselfByStateTransfer() {
        ScenarioCluster.ScenarioClient client = cluster.client(0);
        client.submit(put(0));
        cluster.deliverAll();
        // Replica 3's application silently goes wrong (a bit flip, a non-deterministic bug).
        cluster.stores.get(3).execute(1, List.of(new Operation(client.id(), 1, put(666))));
        for (int index = 1; index < 4; index++) {
            client.submit(put(index));
            cluster.deliverAll();
        }
        run(100, message -> message);

        assertTrue(cluster.persistedBy(3).stream().anyMatch(ProtocolEvent.StateTransferred.class::isInstance));
        assertEquals(cluster.stores.get(0).stateDigest(), cluster.stores.get(3).stateDigest(), "repaired");
        assertFalse(cluster.core(3).fetchingState());
        client.submit(put(5));
        run(20, message -> message);
        assertEquals(cluster.stores.get(0).stateDigest(), cluster.stores.get(3).stateDigest());
        assertEquals(5, cluster.core(3).status().lastExecutedSequence());
    }
}
