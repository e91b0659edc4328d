package io.concordat.replica;

import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PublicKey;
import io.concordat.membership.ReplicaAddress;
import io.concordat.membership.ReplicaAddresses;
import io.concordat.protocol.Membership;
import java.util.ArrayList;
import java.util.HashMap;

/** A four-replica membership and addresses, for tests that build a configuration without starting nodes. */
final class LocalClusterFixture {
    private LocalClusterFixture() {}

    static Membership membership() {
        var keys = new ArrayList<PublicKey>();
        for (int id = 0; id < 4; id++) {
            keys.add(Ed25519KeyPair.fromSeed(LocalCluster.seed("fixture", id)).publicKey());
        }
        return new Membership(1, keys);
    }

    static ReplicaAddresses addresses() {
        var addresses = new HashMap<Integer, ReplicaAddress>();
        for (int id = 0; id < 4; id++) {
            addresses.put(id, new ReplicaAddress("127.0.0.1", 25_520 + id));
        }
        return new ReplicaAddresses("concordat", addresses);
    }
}
