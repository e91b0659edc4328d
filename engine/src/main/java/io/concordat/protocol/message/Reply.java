package io.concordat.protocol.message;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import java.util.Objects;

/**
 * ⟨REPLY, v, t, c, i, r⟩ from PBFT §4.1. A client accepts a result once f+1 replicas sent matching
 * replies, or 2f+1 for a {@code readOnly} (tentative, unordered) reply (§5.1.3).
 */
public record Reply(long view, PublicKey clientId, long requestNumber, Bytes result, boolean readOnly, int replicaId)
        implements ReplicaMessage {
    public Reply {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(result, "result");
    }
}
