package io.concordat.membership;

import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.actor.Address;

/**
 * A change in Pekko Cluster membership, told to the local replica. It is a hint only: Pekko's failure
 * detector is crash-fault logic, and a Byzantine replica can look perfectly reachable while lying, so a
 * replica may use this to suspect a primary sooner but never as proof of anything.
 *
 * @param replicaId the replica whose node changed, if the node is in the cluster definition
 * @param node the node's Pekko address
 */
public record MembershipHint(Kind kind, Optional<Integer> replicaId, Address node) {
    public MembershipHint {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(replicaId, "replicaId");
        Objects.requireNonNull(node, "node");
    }

    public enum Kind {
        /** The node became a member that is up. */
        UP,
        /** The failure detector on some node stopped hearing from the node. */
        UNREACHABLE,
        /** The node is heard from again. */
        REACHABLE,
        /** The node left the cluster or was removed. */
        REMOVED
    }
}
