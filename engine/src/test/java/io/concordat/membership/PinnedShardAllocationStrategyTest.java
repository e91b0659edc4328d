package io.concordat.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import scala.collection.immutable.IndexedSeq;
import scala.collection.immutable.Vector$;
import scala.concurrent.Future;

/**
 * The strategy sees shard regions as actor refs: remote ones carry their node's address, and the
 * coordinator's own region has a local path, which the strategy resolves to its own node.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PinnedShardAllocationStrategyTest {
    @JUnit5TestKit
    public ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(ConfigFactory.parseString(
            "pekko.actor.provider = cluster\n"
                    + "pekko.remote.artery.canonical.hostname = 127.0.0.1\n"
                    + "pekko.remote.artery.canonical.port = 0\n"
                    + "pekko.cluster.jmx.multi-mbeans-in-same-jvm = on\n")).build();

    private final ReplicaAddresses addresses = new ReplicaAddresses("concordat", Map.of(
            0, new ReplicaAddress("127.0.0.1", 25520),
            1, new ReplicaAddress("127.0.0.1", 25521),
            2, new ReplicaAddress("127.0.0.1", 25522),
            3, new ReplicaAddress("127.0.0.1", 25523)));

    /** The coordinator runs on replica 0's node in these tests. */
    private PinnedShardAllocationStrategy strategy() {
        return new PinnedShardAllocationStrategy(addresses, addresses.pekkoAddressOf(0));
    }

    @Test
    void eachShardGoesToItsOwnersRegionWhoeverAsks() {
        var strategy = strategy();
        ActorRef local = localRegion();
        Map<ActorRef, IndexedSeq<String>> regions = regions(local, remoteRegion(1), remoteRegion(2), remoteRegion(3));
        for (int replica = 1; replica <= 3; replica++) {
            assertEquals(remoteRegion(replica), allocated(strategy.allocateShard(local, ReplicaShards.shardId(replica),
                    regions)));
        }
        assertEquals(local, allocated(strategy.allocateShard(remoteRegion(3), "0", regions)),
                "the coordinator's own region has a local path and is replica 0's node");
    }

    @Test
    void allocationWaitsUntilTheOwnerNodeRegistersAndThenCompletes() {
        var strategy = strategy();
        ActorRef local = localRegion();
        Future<ActorRef> waiting = strategy.allocateShard(local, "2", regions(local, remoteRegion(1)));
        assertFalse(waiting.isCompleted(), "allocated while the owner's node is absent");
        Future<ActorRef> retried = strategy.allocateShard(local, "2", regions(local, remoteRegion(1)));
        assertFalse(retried.isCompleted());
        Future<ActorRef> afterJoin = strategy.allocateShard(remoteRegion(1), "2",
                regions(local, remoteRegion(1), remoteRegion(2)));
        assertEquals(remoteRegion(2), allocated(afterJoin));
        assertEquals(remoteRegion(2), allocated(waiting), "the deferred allocation completes with the owner");
        assertEquals(remoteRegion(2), allocated(retried));
    }

    @Test
    void shardsThatNameNoReplicaAreNeverAllocated() {
        var strategy = strategy();
        ActorRef local = localRegion();
        for (String shard : new String[] {"4", "unroutable", "-1", "01"}) {
            Future<ActorRef> result = strategy.allocateShard(local, shard, regions(local, remoteRegion(1)));
            assertTrue(result.isCompleted() && result.value().get().isFailure(), shard);
        }
    }

    @Test
    void nothingIsEverRebalanced() {
        var strategy = strategy();
        ActorRef local = localRegion();
        var shards = new HashMap<ActorRef, IndexedSeq<String>>();
        shards.put(local, seq("0", "1", "2", "3"));
        shards.put(remoteRegion(1), seq());
        Future<java.util.Set<String>> rebalance = strategy.rebalance(shards, Set.of());
        assertTrue(rebalance.isCompleted());
        assertEquals(Set.of(), rebalance.value().get().get());
    }

    private ActorRef localRegion() {
        return Adapter.toClassic(testKit.<String>createTestProbe().ref());
    }

    private ActorRef remoteRegion(int replica) {
        var system = (ExtendedActorSystem) Adapter.toClassic(testKit.system());
        return system.provider()
                .resolveActorRef(addresses.pekkoAddressOf(replica) + "/system/sharding/concordat-replica");
    }

    private static Map<ActorRef, IndexedSeq<String>> regions(ActorRef... regions) {
        var map = new HashMap<ActorRef, IndexedSeq<String>>();
        for (ActorRef region : regions) {
            map.put(region, seq());
        }
        return map;
    }

    @SuppressWarnings("unchecked")
    private static IndexedSeq<String> seq(String... shards) {
        IndexedSeq<String> seq = (IndexedSeq<String>) (IndexedSeq<?>) Vector$.MODULE$.empty();
        for (String shard : shards) {
            seq = (IndexedSeq<String>) seq.appended(shard);
        }
        return seq;
    }

    private static ActorRef allocated(Future<ActorRef> future) {
        assertTrue(future.isCompleted(), "allocation is still pending");
        return future.value().get().get();
    }
}
