package io.concordat.membership;

/**
 * How one node's Pekko Cluster sees a replica's node at a moment: for status displays and operators. Like
 * every membership signal, it is a hint about crashes and partitions, never evidence about correctness.
 */
public enum PeerReachability {
    /** A cluster member that is up and that the failure detectors hear from. */
    UP,
    /** A member that some failure detector stopped hearing from. */
    UNREACHABLE,
    /** Not (or no longer) an up member: still joining, leaving, removed, or never seen. */
    NOT_UP
}
