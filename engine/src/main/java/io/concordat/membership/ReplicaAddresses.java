package io.concordat.membership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.pekko.actor.Address;

/**
 * The node address of every replica, by replica id (0..n-1), as the cluster definition gives it. It decides
 * where each replica's sharding entity may live and which nodes seed the Pekko cluster.
 */
public final class ReplicaAddresses {
    private final String actorSystemName;
    private final List<ReplicaAddress> addresses;
    private final Map<Address, Integer> replicaByAddress;

    /**
     * @param actorSystemName the ActorSystem name every node uses; Pekko addresses include it
     * @param addresses replica id to address; the ids must be exactly 0..n-1 and the addresses distinct
     */
    public ReplicaAddresses(String actorSystemName, Map<Integer, ReplicaAddress> addresses) {
        this.actorSystemName = Objects.requireNonNull(actorSystemName, "actorSystemName");
        Objects.requireNonNull(addresses, "addresses");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("the cluster definition lists no replica addresses");
        }
        var sorted = new TreeMap<>(addresses);
        if (sorted.firstKey() != 0 || sorted.lastKey() != sorted.size() - 1) {
            throw new IllegalArgumentException("replica ids must be exactly 0.." + (sorted.size() - 1) + ", got "
                    + sorted.keySet());
        }
        this.addresses = List.copyOf(sorted.values());
        this.replicaByAddress = new HashMap<>();
        for (var entry : sorted.entrySet()) {
            Integer previous = replicaByAddress.put(entry.getValue().toPekkoAddress(actorSystemName), entry.getKey());
            if (previous != null) {
                throw new IllegalArgumentException("replicas " + previous + " and " + entry.getKey()
                        + " share the address " + entry.getValue());
            }
        }
    }

    public String actorSystemName() {
        return actorSystemName;
    }

    public int size() {
        return addresses.size();
    }

    public ReplicaAddress addressOf(int replicaId) {
        if (replicaId < 0 || replicaId >= addresses.size()) {
            throw new IllegalArgumentException("no replica " + replicaId + " among " + addresses.size());
        }
        return addresses.get(replicaId);
    }

    public Address pekkoAddressOf(int replicaId) {
        return addressOf(replicaId).toPekkoAddress(actorSystemName);
    }

    /** The replica whose node has this Pekko address, if any. */
    public Optional<Integer> replicaAt(Address address) {
        return Optional.ofNullable(replicaByAddress.get(address));
    }

    /**
     * Every node is a seed, in replica id order. Pekko lets only the first seed form a new cluster, so
     * replica 0's node must be up for the first formation; afterwards any node can (re)join through any other.
     */
    public List<String> seedNodes() {
        var seeds = new ArrayList<String>(addresses.size());
        for (int replicaId = 0; replicaId < addresses.size(); replicaId++) {
            seeds.add(pekkoAddressOf(replicaId).toString());
        }
        return seeds;
    }
}
