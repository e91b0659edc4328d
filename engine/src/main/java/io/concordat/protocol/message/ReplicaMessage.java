package io.concordat.protocol.message;

/** A message signed by a replica. {@link #replicaId()} names the signer; its key comes from the membership. */
public sealed interface ReplicaMessage extends Signable
        permits PrePrepare, Prepare, Commit, Checkpoint, Reply, Status, ViewChange, NewView, StateRequest,
        StateChunk {
    int replicaId();
}
