package io.concordat.membership;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.Address;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.dispatch.Futures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;
import scala.concurrent.Promise;

/**
 * Places shard {@code <id>} on the node of replica {@code <id>} and nowhere else, and never moves it.
 *
 * <p>A replica's private key lives on exactly one node, so its entity must not be started anywhere else,
 * not even while that node is down: another node could not sign as that replica, and starting a second,
 * empty copy would let it contradict what the first one said. So allocation waits until the owner node's
 * shard region has registered with the coordinator: the answer is a future that completes when a later
 * request (regions retry every {@code pekko.cluster.sharding.retry-interval}) finds the owner's region.
 * Rebalancing always returns no shards.
 *
 * <p>The coordinator runs on one node (the oldest) and calls this strategy from its actor, so
 * {@code selfAddress} resolves the local region, whose actor path has no host.
 */
public final class PinnedShardAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy {
    private static final Logger LOG = LoggerFactory.getLogger(PinnedShardAllocationStrategy.class);

    private final ReplicaAddresses addresses;
    private final Address selfAddress;
    private final Map<String, Promise<ActorRef>> deferred = new HashMap<>();

    /**
     * @param addresses every replica's node address, from the cluster definition
     * @param selfAddress the address of the node this strategy runs on
     */
    public PinnedShardAllocationStrategy(ReplicaAddresses addresses, Address selfAddress) {
        this.addresses = addresses;
        this.selfAddress = selfAddress;
    }

    @Override
    public synchronized Future<ActorRef> allocateShard(ActorRef requester, String shardId,
            Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
        Optional<Integer> owner = ReplicaShards.replicaOfShard(shardId).filter(id -> id < addresses.size());
        if (owner.isEmpty()) {
            return Futures.failed(new IllegalArgumentException("shard [" + shardId + "] names no replica of the "
                    + addresses.size() + " in the cluster definition; it is never allocated"));
        }
        Address ownerAddress = addresses.pekkoAddressOf(owner.get());
        Optional<ActorRef> ownerRegion = regionAt(ownerAddress, currentShardAllocations);
        if (ownerRegion.isPresent()) {
            Promise<ActorRef> waiting = deferred.remove(shardId);
            if (waiting != null) {
                waiting.trySuccess(ownerRegion.get());
            }
            return Futures.successful(ownerRegion.get());
        }
        LOG.atDebug().addKeyValue("shard", shardId).addKeyValue("owner", ownerAddress)
                .log("deferring shard allocation: the owner node has no registered shard region yet");
        return deferred.computeIfAbsent(shardId, id -> Futures.promise()).future();
    }

    @Override
    public Future<Set<String>> rebalance(Map<ActorRef, IndexedSeq<String>> currentShardAllocations,
            Set<String> rebalanceInProgress) {
        return Futures.successful(Collections.emptySet());
    }

    /** The address of a node a region lives on; the coordinator's own region has a local (host-less) path. */
    Address nodeOf(ActorRef region) {
        Address address = region.path().address();
        return address.hasLocalScope() ? selfAddress : address;
    }

    private Optional<ActorRef> regionAt(Address node, Map<ActorRef, IndexedSeq<String>> regions) {
        for (ActorRef region : regions.keySet()) {
            if (nodeOf(region).equals(node)) {
                return Optional.of(region);
            }
        }
        return Optional.empty();
    }
}
