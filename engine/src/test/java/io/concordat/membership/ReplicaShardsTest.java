package io.concordat.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ReplicaShardsTest {
    private final ReplicaMessageExtractor<String> extractor = new ReplicaMessageExtractor<>();

    @Test
    void eachReplicaHasItsOwnEntityAndShard() {
        for (int replica = 0; replica < 7; replica++) {
            String entityId = ReplicaShards.entityId(replica);
            assertEquals("replica-" + replica, entityId);
            assertEquals(Integer.toString(replica), extractor.shardId(entityId));
            assertEquals(Optional.of(replica), ReplicaShards.replicaOfEntity(entityId));
            assertEquals(Optional.of(replica), ReplicaShards.replicaOfShard(extractor.shardId(entityId)));
        }
    }

    @Test
    void theExtractorUnwrapsShardingEnvelopes() {
        var envelope = new ShardingEnvelope<>("replica-2", "hello");
        assertEquals("replica-2", extractor.entityId(envelope));
        assertEquals("hello", extractor.unwrapMessage(envelope));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "replica-", "replica-x", "replica--1", "replica-01", "replica-1 ", "other-1",
            "replica-99999999999", "REPLICA-1"})
    void entityIdsThatNameNoReplicaGoToAShardThatIsNeverAllocated(String entityId) {
        assertEquals(Optional.empty(), ReplicaShards.replicaOfEntity(entityId));
        assertEquals(ReplicaMessageExtractor.UNROUTABLE_SHARD, extractor.shardId(entityId));
    }

    @Test
    void negativeReplicaIdsHaveNoEntity() {
        assertThrows(IllegalArgumentException.class, () -> ReplicaShards.entityId(-1));
    }
}
