package io.concordat.membership;

import java.util.Optional;

/**
 * Names of the sharding entities and shards that host replicas: one entity per replica, alone in its own
 * shard, so that the allocation strategy can pin each shard to the one node that holds the replica's key.
 */
public final class ReplicaShards {
    static final String ENTITY_PREFIX = "replica-";

    private ReplicaShards() {}

    /** The entity id of a replica, for example {@code replica-2}. */
    public static String entityId(int replicaId) {
        if (replicaId < 0) {
            throw new IllegalArgumentException("replica ids are not negative, got " + replicaId);
        }
        return ENTITY_PREFIX + replicaId;
    }

    /** The shard id of a replica: its id in decimal. */
    public static String shardId(int replicaId) {
        return Integer.toString(replicaId);
    }

    /** The replica an entity id names, or empty if it is not of the form {@code replica-<id>}. */
    public static Optional<Integer> replicaOfEntity(String entityId) {
        if (entityId == null || !entityId.startsWith(ENTITY_PREFIX)) {
            return Optional.empty();
        }
        return parseReplicaId(entityId.substring(ENTITY_PREFIX.length()));
    }

    /** The replica a shard id names, or empty if it is not a replica id in canonical decimal. */
    public static Optional<Integer> replicaOfShard(String shardId) {
        return parseReplicaId(shardId);
    }

    private static Optional<Integer> parseReplicaId(String digits) {
        if (digits == null || digits.isEmpty() || digits.length() > 9 || !digits.chars().allMatch(Character::isDigit)
                || (digits.length() > 1 && digits.charAt(0) == '0')) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(digits));
    }
}
