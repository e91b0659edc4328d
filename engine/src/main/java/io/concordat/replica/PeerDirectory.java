package io.concordat.replica;

import io.concordat.membership.ReplicaAddresses;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The other replicas' actors, resolved, so that protocol messages go to them straight over Artery instead of
 * through Cluster Sharding's routing: an EntityRef message to a remote entity passes this node's shard
 * region, then the remote node's shard region and shard, before it reaches the replica (three mailbox hops
 * for every pre-prepare, prepare and commit; docs/benchmarks.md).
 *
 * <p>Each running replica registers its actor with Pekko's receptionist under its replica id's key
 * ({@link #keyOf}), and every node subscribes to its peers' keys. A listing is only a hint, as cluster
 * membership is: an actor is used for replica {@code j} only if it lives at the address the signed cluster
 * definition gives replica {@code j}, and exactly one does. Otherwise (before the peer has registered, while
 * it restarts, or if another node registered under its key) messages go through sharding, as before. Which
 * path a message takes never decides anything: every protocol message is signed and checked by its
 * receiver, and PBFT's retransmissions cover what a stale reference loses. Thread-safe.
 */
final class PeerDirectory {
    private static final String KEY_PREFIX = "concordat-replica-";

    private final ReplicaAddresses addresses;
    private final int replicaId;
    private final Map<Integer, ActorRef<ReplicaActor.Command>> resolved = new ConcurrentHashMap<>();

    PeerDirectory(ReplicaAddresses addresses, int replicaId) {
        this.addresses = Objects.requireNonNull(addresses, "addresses");
        this.replicaId = replicaId;
    }

    /** The receptionist key under which replica {@code replicaId} registers its running actor. */
    static ServiceKey<ReplicaActor.Command> keyOf(int replicaId) {
        return ServiceKey.create(ReplicaActor.Command.class, KEY_PREFIX + replicaId);
    }

    /** The peer's resolved actor, if it has one that lives where the cluster definition says it does. */
    Optional<ActorRef<ReplicaActor.Command>> peer(int peerId) {
        return Optional.ofNullable(resolved.get(peerId));
    }

    /** Where a message to {@code peerId} goes: its resolved actor, or else {@code entity} (sharding's routing). */
    RecipientRef<ReplicaActor.Command> orElse(int peerId, EntityRef<ReplicaActor.Command> entity) {
        ActorRef<ReplicaActor.Command> peer = resolved.get(peerId);
        return peer != null ? peer : entity;
    }

    /** The actor that subscribes to every peer's key and keeps this directory up to date. */
    Behavior<Receptionist.Listing> subscriber() {
        return Behaviors.setup(context -> {
            for (int peer = 0; peer < addresses.size(); peer++) {
                if (peer != replicaId) {
                    context.getSystem().receptionist().tell(Receptionist.subscribe(keyOf(peer), context.getSelf()));
                }
            }
            return Behaviors.receive(Receptionist.Listing.class)
                    .onMessage(Receptionist.Listing.class, listing -> {
                        onListing(listing);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private void onListing(Receptionist.Listing listing) {
        for (int peer = 0; peer < addresses.size(); peer++) {
            ServiceKey<ReplicaActor.Command> key = keyOf(peer);
            if (peer != replicaId && listing.isForKey(key)) {
                resolve(peer, listing.getServiceInstances(key));
            }
        }
    }

    /** Keeps the one registered actor at the peer's defined address; without exactly one, forgets the peer. */
    private void resolve(int peer, Set<ActorRef<ReplicaActor.Command>> registered) {
        Address defined = addresses.pekkoAddressOf(peer);
        List<ActorRef<ReplicaActor.Command>> atDefinedAddress = registered.stream()
                .filter(candidate -> candidate.path().address().equals(defined))
                .collect(Collectors.toList());
        if (atDefinedAddress.size() == 1) {
            resolved.put(peer, atDefinedAddress.get(0));
        } else {
            resolved.remove(peer);
        }
    }
}
