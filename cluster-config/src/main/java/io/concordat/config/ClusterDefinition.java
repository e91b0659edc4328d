package io.concordat.config;

import io.concordat.crypto.PublicKey;
import io.concordat.protocol.Membership;
import io.concordat.protocol.ProtocolConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;

/**
 * A whole cluster as the administrator defines and signs it: the replica set, where each replica listens,
 * its public key, the protocol settings and which clients may submit requests. Replicas trust this, and
 * never Pekko Cluster membership, for who is in the replica set: Pekko's membership is crash-fault logic and
 * must not decide a Byzantine quorum.
 *
 * <p>Construction enforces every rule the file loader enforces (n = 3f+1, ids 0..n-1, distinct endpoints
 * and keys, the watermark window...), so an instance is always a usable definition.
 *
 * @param name the cluster's name; also the Pekko ActorSystem name every node uses
 * @param faultsTolerated f, at least 1
 * @param replicas exactly 3f+1 replicas, held sorted by id so that {@code replicas().get(i).id() == i}
 * @param protocol the protocol settings
 * @param allowedClientKeys the clients allowed to submit requests; empty means any client with a valid
 *     signature
 */
public record ClusterDefinition(String name, int faultsTolerated, List<ReplicaDefinition> replicas,
        ProtocolSettings protocol, Set<PublicKey> allowedClientKeys) {

    public ClusterDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(replicas, "replicas");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(allowedClientKeys, "allowedClientKeys");
        List<ReplicaDraft> replicaDrafts = new ArrayList<>();
        for (int index = 0; index < replicas.size(); index++) {
            replicaDrafts.add(ReplicaDraft.of(index, Objects.requireNonNull(replicas.get(index), "replica")));
        }
        List<Optional<PublicKey>> clientKeys = new ArrayList<>();
        for (PublicKey key : allowedClientKeys) {
            clientKeys.add(Optional.of(Objects.requireNonNull(key, "allowed client key")));
        }
        List<Problem> problems = DefinitionRules.check(new DefinitionDraft(Optional.of(name),
                OptionalLong.of(faultsTolerated), Optional.of(replicaDrafts), ProtocolDraft.of(protocol),
                clientKeys));
        if (!problems.isEmpty()) {
            throw new ClusterDefinitionException(problems);
        }
        List<ReplicaDefinition> sorted = new ArrayList<>(replicas);
        sorted.sort(Comparator.comparingInt(ReplicaDefinition::id));
        replicas = List.copyOf(sorted);
        allowedClientKeys = Collections.unmodifiableSortedSet(new TreeSet<>(allowedClientKeys));
    }

    /** n = 3f+1. */
    public int size() {
        return replicas.size();
    }

    /** The replica with this id. */
    public Optional<ReplicaDefinition> replica(int replicaId) {
        return replicaId >= 0 && replicaId < replicas.size() ? Optional.of(replicas.get(replicaId)) : Optional.empty();
    }

    /** The replica whose public key this is, for a node that finds out which replica its private key runs. */
    public Optional<ReplicaDefinition> replicaWithKey(PublicKey publicKey) {
        return replicas.stream().filter(replica -> replica.publicKey().equals(publicKey)).findFirst();
    }

    /** True if a client signing with {@code clientKey} may submit requests. */
    public boolean allowsClient(PublicKey clientKey) {
        return allowedClientKeys.isEmpty() || allowedClientKeys.contains(clientKey);
    }

    /** The replica set as the protocol core sees it: f and the public keys in id order. */
    public Membership toMembership() {
        List<PublicKey> keys = new ArrayList<>();
        for (ReplicaDefinition replica : replicas) {
            keys.add(replica.publicKey());
        }
        return new Membership(faultsTolerated, keys);
    }

    /** The core's tunables, with durations converted to ticks of the protocol's tick interval. */
    public ProtocolConfiguration toProtocolConfiguration() {
        return protocol.toProtocolConfiguration();
    }
}
