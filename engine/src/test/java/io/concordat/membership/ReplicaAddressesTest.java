package io.concordat.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

class ReplicaAddressesTest {

    @Test
    void mapsReplicasToNodesAndBack() {
        var addresses = new ReplicaAddresses("concordat", Map.of(
                0, new ReplicaAddress("10.0.0.1", 25520),
                1, new ReplicaAddress("10.0.0.2", 25520),
                2, new ReplicaAddress("10.0.0.3", 25520),
                3, new ReplicaAddress("10.0.0.3", 25521)));
        assertEquals(new Address("pekko", "concordat", "10.0.0.3", 25521), addresses.pekkoAddressOf(3));
        assertEquals(Optional.of(2), addresses.replicaAt(new Address("pekko", "concordat", "10.0.0.3", 25520)));
        assertEquals(Optional.empty(), addresses.replicaAt(new Address("pekko", "other", "10.0.0.3", 25520)));
        assertEquals(List.of("pekko://concordat@10.0.0.1:25520", "pekko://concordat@10.0.0.2:25520",
                "pekko://concordat@10.0.0.3:25520", "pekko://concordat@10.0.0.3:25521"), addresses.seedNodes());
    }

    @Test
    void replicaIdsMustBeContiguousFromZero() {
        var thrown = assertThrows(IllegalArgumentException.class, () -> new ReplicaAddresses("concordat", Map.of(
                0, new ReplicaAddress("a", 1), 2, new ReplicaAddress("b", 1))));
        assertTrue(thrown.getMessage().contains("0..1"), thrown.getMessage());
    }

    @Test
    void twoReplicasCannotShareANode() {
        var thrown = assertThrows(IllegalArgumentException.class, () -> new ReplicaAddresses("concordat", Map.of(
                0, new ReplicaAddress("a", 1), 1, new ReplicaAddress("a", 1))));
        assertTrue(thrown.getMessage().contains("share the address a:1"), thrown.getMessage());
    }

    @Test
    void addressesAreValidated() {
        assertThrows(IllegalArgumentException.class, () -> new ReplicaAddress(" ", 1));
        assertThrows(IllegalArgumentException.class, () -> new ReplicaAddress("a", 0));
        assertThrows(IllegalArgumentException.class, () -> new ReplicaAddress("a", 65_536));
        assertThrows(IllegalArgumentException.class, () -> new ReplicaAddresses("concordat", Map.of()));
    }
}
