package io.concordat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.membership.PeerReachability;
import io.concordat.protocol.DropReason;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.replica.ExecutedState;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StatusDocumentTest {

    @Test
    void rendersEveryDocumentedField() {
        var status = new ReplicaStatus(1, 2, 2, 300, 256, 512, Optional.of(new Digest(Bytes.fromHex("ab".repeat(32)))),
                4, new TreeMap<>(Map.of(DropReason.DUPLICATE, 3L, DropReason.BAD_SIGNATURE, 1L)));
        var executed = new ExecutedState(299, new Digest(Bytes.fromHex("cd".repeat(32))));
        var peers = new TreeMap<>(Map.of(0, PeerReachability.UP, 1, PeerReachability.UP,
                2, PeerReachability.UNREACHABLE, 3, PeerReachability.NOT_UP));

        String json = StatusDocument.render(status, Optional.of(executed), peers);

        assertEquals("{\"replicaId\":1,\"view\":2,\"primary\":2,\"lastExecutedSequence\":300,\"lowWatermark\":256,"
                + "\"highWatermark\":512,\"stableCheckpointDigest\":\"sha256:" + "ab".repeat(32) + "\","
                + "\"pendingRequests\":4,\"dropCounts\":{\"BAD_SIGNATURE\":1,\"DUPLICATE\":3},"
                + "\"applicationState\":{\"sequence\":299,\"digest\":\"sha256:" + "cd".repeat(32) + "\"},"
                + "\"peerReachability\":{\"0\":\"UP\",\"1\":\"UP\",\"2\":\"UNREACHABLE\",\"3\":\"NOT_UP\"}}", json);
    }

    @Test
    void anUnansweredStatusNamesTheReplicaAndTheReason() {
        assertEquals("{\"replicaId\":3,\"error\":\"not yet\"}", StatusDocument.unavailable(3, "not yet"));
    }
}
