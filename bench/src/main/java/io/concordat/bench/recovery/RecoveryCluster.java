package io.concordat.bench.recovery;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.membership.ReplicaAddress;
import io.concordat.membership.ReplicaAddresses;
import io.concordat.protocol.Membership;
import io.concordat.protocol.ProtocolConfiguration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the journal generator and the recovering replica must agree on: the four replicas' keys (fixed
 * seeds, so a later JVM derives the same ones), the membership, the protocol settings, and replica 0's
 * persistence id.
 *
 * <p>The protocol settings are the defaults except the checkpoint interval and the watermark window:
 * K = 2048 and L = 4096 let about 2,000 batches of 1 MiB (2 GB) accumulate without a checkpoint, so the
 * whole journal is "since the last checkpoint". Both are valid for the cluster definition's rules
 * (K in 1..1,000,000, L a multiple of K and at least 2K).
 */
final class RecoveryCluster {
    static final int FAULTS_TOLERATED = 1;
    static final int REPLICAS = 3 * FAULTS_TOLERATED + 1;
    static final int CHECKPOINT_INTERVAL = 2048;
    static final int WATERMARK_WINDOW = 4096;
    static final int RECOVERING_REPLICA = 0;
    static final String ACTOR_SYSTEM_NAME = "concordat-recovery-bench";

    /** DurableReplicaActor's persistence id scheme ({@code concordat-replica-<id>}). */
    static final String PERSISTENCE_ID = "concordat-replica-" + RECOVERING_REPLICA;

    final List<Ed25519KeyPair> replicaKeys = new ArrayList<>();
    final Membership membership;
    final ProtocolConfiguration protocol;

    RecoveryCluster() {
        for (int replica = 0; replica < REPLICAS; replica++) {
            replicaKeys.add(keyFromSeed(replica + 1));
        }
        membership = new Membership(FAULTS_TOLERATED, replicaKeys.stream().map(Ed25519KeyPair::publicKey).toList());
        protocol = ProtocolConfiguration.defaults().withCheckpointInterval(CHECKPOINT_INTERVAL, WATERMARK_WINDOW);
    }

    /** The key of client {@code index}; distinct from every replica's. */
    static Ed25519KeyPair clientKey(int index) {
        return keyFromSeed(1000 + index);
    }

    /**
     * Replica 0 on {@code arteryPort}, the others on ports nobody listens on: only replica 0 is started, and
     * as the first seed it forms a cluster of its own once the other seeds do not answer.
     */
    static ReplicaAddresses addresses(int arteryPort) {
        Map<Integer, ReplicaAddress> addresses = new TreeMap<>();
        for (int replica = 0; replica < REPLICAS; replica++) {
            addresses.put(replica, new ReplicaAddress("127.0.0.1", arteryPort + replica));
        }
        return new ReplicaAddresses(ACTOR_SYSTEM_NAME, addresses);
    }

    private static Ed25519KeyPair keyFromSeed(int seed) {
        byte[] bytes = new byte[Ed25519KeyPair.SEED_SIZE_BYTES];
        Arrays.fill(bytes, 0, 4, (byte) 0x5a);
        bytes[4] = (byte) (seed >>> 24);
        bytes[5] = (byte) (seed >>> 16);
        bytes[6] = (byte) (seed >>> 8);
        bytes[7] = (byte) seed;
        return Ed25519KeyPair.fromSeed(Bytes.wrap(bytes));
    }
}
