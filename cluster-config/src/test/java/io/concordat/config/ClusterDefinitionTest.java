package io.concordat.config;

import static io.concordat.config.TestDefinitions.clientKey;
import static io.concordat.config.TestDefinitions.replicaKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.protocol.Membership;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterDefinitionTest {

    @Test
    void membershipListsReplicaKeysInIdOrder() {
        ClusterDefinition definition = TestDefinitions.definition(7);

        Membership membership = definition.toMembership();

        assertEquals(2, membership.faultsTolerated());
        for (int id = 0; id < 7; id++) {
            assertEquals(Optional.of(replicaKey(id)), membership.keyOf(id));
        }
    }

    @Test
    void replicasGivenInAnyOrderAreHeldInIdOrder() {
        List<ReplicaDefinition> shuffled = new ArrayList<>(TestDefinitions.definition(4).replicas());
        Collections.reverse(shuffled);

        ClusterDefinition definition = new ClusterDefinition("c", 1, shuffled, TestDefinitions.protocol(), Set.of());

        assertEquals(TestDefinitions.definition(4).replicas(), definition.replicas());
    }

    @Test
    void findsReplicasByIdAndByKey() {
        ClusterDefinition definition = TestDefinitions.definition(4);

        assertEquals(2, definition.replica(2).orElseThrow().id());
        assertEquals(Optional.empty(), definition.replica(4));
        assertEquals(Optional.empty(), definition.replica(-1));
        assertEquals(3, definition.replicaWithKey(replicaKey(3)).orElseThrow().id());
        assertEquals(Optional.empty(), definition.replicaWithKey(clientKey(0)));
    }

    @Test
    void anEmptyClientListAllowsAnyClient() {
        ClusterDefinition restricted = TestDefinitions.definition(4);
        ClusterDefinition open = new ClusterDefinition("c", 1, restricted.replicas(), restricted.protocol(), Set.of());

        assertTrue(restricted.allowsClient(clientKey(0)));
        assertFalse(restricted.allowsClient(clientKey(9)));
        assertTrue(open.allowsClient(clientKey(9)));
    }

    @Test
    void aDefinitionBuiltInCodeObeysTheFileRules() {
        List<ReplicaDefinition> replicas = new ArrayList<>(TestDefinitions.definition(4).replicas());
        replicas.remove(3);

        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> new ClusterDefinition("c", 1, replicas, TestDefinitions.protocol(), Set.of(replicaKey(0))));

        assertEquals(List.of(
                new Problem("concordat.cluster.replicas", "f = 1 needs exactly n = 3f+1 = 4 replicas, found 3"),
                new Problem("concordat.cluster.allowed-client-keys[0]", "this is the public key of"
                        + " concordat.cluster.replicas[0]; clients and replicas need separate key pairs")),
                error.problems());
    }

    @Test
    void aReplicaBuiltInCodeIsChecked() {
        ClusterDefinitionException error = assertThrows(ClusterDefinitionException.class,
                () -> new ReplicaDefinition(1, "", 0, 80, 99999, replicaKey(1)));

        assertEquals(List.of("concordat.cluster.replicas[1].host", "concordat.cluster.replicas[1].artery-port",
                "concordat.cluster.replicas[1].admin-port"), error.problems().stream().map(Problem::path).toList());
    }
}
