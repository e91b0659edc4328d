package io.concordat.protocol;

import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;

/** Skeleton; the implementation lands next. */
public final class PbftReplica {
    public PbftReplica(int replicaId, Membership membership, ProtocolConfiguration configuration, Signer signer,
            SignatureVerifier verifier, MessageEncoder encoder) {
        throw new UnsupportedOperationException("not yet");
    }

    public Ready step(Input input) {
        throw new UnsupportedOperationException("not yet");
    }

    public Ready tick() {
        return step(new Input.Tick());
    }

    public ReplicaStatus status() {
        throw new UnsupportedOperationException("not yet");
    }
}
