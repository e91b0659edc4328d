package io.concordat.membership;

import org.apache.pekko.cluster.sharding.typed.ShardingEnvelope;
import org.apache.pekko.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * Maps {@code replica-<id>} to shard {@code <id>}, deterministically and without hashing, so that every
 * replica has a shard of its own. An entity id that does not name a replica goes to a shard that the
 * allocation strategy never places, so its messages are buffered and dropped rather than delivered.
 */
public final class ReplicaMessageExtractor<M> extends ShardingMessageExtractor<ShardingEnvelope<M>, M> {
    /** The shard for entity ids that name no replica; never allocated. */
    public static final String UNROUTABLE_SHARD = "unroutable";

    @Override
    public String entityId(ShardingEnvelope<M> envelope) {
        return envelope.entityId();
    }

    @Override
    public String shardId(String entityId) {
        return ReplicaShards.replicaOfEntity(entityId).map(ReplicaShards::shardId).orElse(UNROUTABLE_SHARD);
    }

    @Override
    public M unwrapMessage(ShardingEnvelope<M> envelope) {
        return envelope.message();
    }
}
