package io.concordat.replica;

import io.concordat.membership.ReplicaAddresses;
import io.concordat.protocol.Membership;
import io.concordat.protocol.ProtocolConfiguration;
import java.util.Objects;

/**
 * What one node needs to host one replica: which replica it is, the replica set with its public keys,
 * every replica's node address, the core's tunables and the shell's settings. The cluster definition
 * (cluster-config) produces it; the replica's private key is passed separately, as a
 * {@link io.concordat.crypto.Signer}.
 */
public record ReplicaNodeConfiguration(int replicaId, Membership membership, ReplicaAddresses addresses,
        ProtocolConfiguration protocol, ReplicaSettings settings) {
    public ReplicaNodeConfiguration {
        Objects.requireNonNull(membership, "membership");
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(settings, "settings");
        if (!membership.isMember(replicaId)) {
            throw new IllegalArgumentException("replica " + replicaId + " is not one of the " + membership.size()
                    + " replicas");
        }
        if (addresses.size() != membership.size()) {
            throw new IllegalArgumentException("the membership has " + membership.size() + " replicas but "
                    + addresses.size() + " addresses are given");
        }
    }
}
