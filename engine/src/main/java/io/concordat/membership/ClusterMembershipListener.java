package io.concordat.membership;

import java.util.Objects;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * Subscribes to Pekko Cluster events (member up, removed, unreachable, reachable) and turns each into a
 * {@link MembershipHint} for the local replica. Nothing here decides a quorum.
 */
public final class ClusterMembershipListener extends AbstractBehavior<ClusterMembershipListener.Event> {

    /** The cluster events this listener adapts. */
    public sealed interface Event {}

    private record MemberChanged(ClusterEvent.MemberEvent event) implements Event {}

    private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Event {}

    private final ReplicaAddresses addresses;
    private final Consumer<MembershipHint> hints;

    /**
     * @param addresses maps node addresses back to replica ids
     * @param hints receives every hint, on this actor's thread; it must not block
     */
    public static Behavior<Event> create(ReplicaAddresses addresses, Consumer<MembershipHint> hints) {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(hints, "hints");
        return Behaviors.setup(context -> {
            Cluster cluster = Cluster.get(context.getSystem());
            cluster.subscriptions().tell(Subscribe.create(
                    context.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new),
                    ClusterEvent.MemberEvent.class));
            cluster.subscriptions().tell(Subscribe.create(
                    context.messageAdapter(ClusterEvent.ReachabilityEvent.class, ReachabilityChanged::new),
                    ClusterEvent.ReachabilityEvent.class));
            return new ClusterMembershipListener(context, addresses, hints);
        });
    }

    private ClusterMembershipListener(ActorContext<Event> context, ReplicaAddresses addresses,
            Consumer<MembershipHint> hints) {
        super(context);
        this.addresses = addresses;
        this.hints = hints;
    }

    @Override
    public Receive<Event> createReceive() {
        return newReceiveBuilder()
                .onMessage(MemberChanged.class, this::onMemberChanged)
                .onMessage(ReachabilityChanged.class, this::onReachabilityChanged)
                .build();
    }

    private Behavior<Event> onMemberChanged(MemberChanged changed) {
        ClusterEvent.MemberEvent event = changed.event();
        if (event instanceof ClusterEvent.MemberUp) {
            tell(MembershipHint.Kind.UP, event.member());
        } else if (event instanceof ClusterEvent.MemberRemoved) {
            tell(MembershipHint.Kind.REMOVED, event.member());
        }
        return this;
    }

    private Behavior<Event> onReachabilityChanged(ReachabilityChanged changed) {
        ClusterEvent.ReachabilityEvent event = changed.event();
        if (event instanceof ClusterEvent.UnreachableMember) {
            tell(MembershipHint.Kind.UNREACHABLE, event.member());
        } else if (event instanceof ClusterEvent.ReachableMember) {
            tell(MembershipHint.Kind.REACHABLE, event.member());
        }
        return this;
    }

    private void tell(MembershipHint.Kind kind, Member member) {
        hints.accept(new MembershipHint(kind, addresses.replicaAt(member.address()), member.address()));
    }
}
