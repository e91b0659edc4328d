package io.concordat.replica;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.BehaviorSignalInterceptor;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;

/**
 * The replica hosted by this node, as the local client endpoint, admin queries and membership hints reach
 * it. While the replica actor runs, they go straight to its {@link ActorRef}; before it has started, and
 * after it stopped, through Cluster Sharding's {@link EntityRef}, which starts the entity on demand.
 *
 * <p>Why not always the EntityRef: every message to it passes the node's shard region and shard actors
 * before it reaches the replica, two mailbox hops (and a thread wake-up each on an idle pool) for every
 * client request, although the replica is pinned to this node and never moves (docs/benchmarks.md).
 * Sharding still starts, allocates and restarts the entity; this only skips its routing for local traffic.
 * Thread-safe.
 */
final class LocalReplica {
    private final int replicaId;
    private final AtomicReference<ActorRef<ReplicaActor.Command>> running = new AtomicReference<>();

    LocalReplica(int replicaId) {
        this.replicaId = replicaId;
    }

    /**
     * The replica's behaviour, made to publish its actor while it runs: set when it starts, cleared when it
     * stops (only if it is still the one published, so a late stop cannot hide its successor). It also
     * registers with the receptionist, so that the other replicas' {@link PeerDirectory} finds it; the
     * receptionist forgets it when it stops.
     */
    Behavior<ReplicaActor.Command> hosting(Behavior<ReplicaActor.Command> replica) {
        Objects.requireNonNull(replica, "replica");
        return Behaviors.setup(context -> {
            ActorRef<ReplicaActor.Command> self = context.getSelf();
            running.set(self);
            context.getSystem().receptionist().tell(Receptionist.register(PeerDirectory.keyOf(replicaId), self));
            return Behaviors.intercept(() -> new ForgetOnStop(self), replica);
        });
    }

    /** Where a local message goes: the running replica actor, or else {@code entity} (sharding starts it). */
    RecipientRef<ReplicaActor.Command> orElse(EntityRef<ReplicaActor.Command> entity) {
        ActorRef<ReplicaActor.Command> replica = running.get();
        return replica != null ? replica : entity;
    }

    /** The running replica actor, if it runs. */
    Optional<ActorRef<ReplicaActor.Command>> running() {
        return Optional.ofNullable(running.get());
    }

    private final class ForgetOnStop extends BehaviorSignalInterceptor<ReplicaActor.Command> {
        private final ActorRef<ReplicaActor.Command> self;

        ForgetOnStop(ActorRef<ReplicaActor.Command> self) {
            this.self = self;
        }

        @Override
        public Behavior<ReplicaActor.Command> aroundSignal(TypedActorContext<ReplicaActor.Command> context,
                Signal signal, BehaviorInterceptor.SignalTarget<ReplicaActor.Command> target) {
            if (signal instanceof PostStop) {
                running.compareAndSet(self, null);
            }
            return target.apply(context, signal);
        }
    }
}
