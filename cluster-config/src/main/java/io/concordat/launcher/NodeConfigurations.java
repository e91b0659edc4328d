package io.concordat.launcher;

import com.typesafe.config.Config;
import io.concordat.config.ClusterDefinition;
import io.concordat.config.ReplicaDefinition;
import io.concordat.endpoint.ClientEndpointSettings;
import io.concordat.membership.ReplicaAddress;
import io.concordat.membership.ReplicaAddresses;
import io.concordat.replica.ReplicaNodeConfiguration;
import io.concordat.replica.ReplicaSettings;
import java.util.HashMap;
import java.util.Map;

/** Turns a verified cluster definition into what the engine's node and client endpoint take. */
final class NodeConfigurations {
    /** Room for the envelope around the largest operation: client id, signature, tags and lengths. */
    static final int ENVELOPE_OVERHEAD_BYTES = 4096;

    private NodeConfigurations() {}

    /**
     * The node's configuration. The definition's tick interval wins over {@code concordat.replica.tick-interval},
     * because the definition's durations were converted to ticks of exactly that length.
     */
    static ReplicaNodeConfiguration replicaNode(ClusterDefinition definition, int replicaId, Config config) {
        Map<Integer, ReplicaAddress> addresses = new HashMap<>();
        for (ReplicaDefinition replica : definition.replicas()) {
            addresses.put(replica.id(), new ReplicaAddress(replica.host(), replica.arteryPort()));
        }
        ReplicaSettings settings = ReplicaSettings.fromConfig(config)
                .withTickInterval(definition.protocol().tickInterval());
        return new ReplicaNodeConfiguration(replicaId, definition.toMembership(),
                new ReplicaAddresses(definition.name(), addresses), definition.toProtocolConfiguration(), settings);
    }

    /** The client endpoint accepts exactly the operations the replica accepts ({@code request-max-bytes}). */
    static ClientEndpointSettings clientEndpoint(ClusterDefinition definition, ReplicaDefinition replica,
            String listenHost) {
        int operationMaxBytes = definition.protocol().requestMaxBytes();
        int requestMaxBytes = Math.max(ClientEndpointSettings.DEFAULT_MAX_REQUEST_BYTES,
                operationMaxBytes + ENVELOPE_OVERHEAD_BYTES);
        return ClientEndpointSettings.defaults(listenHost, replica.clientPort(), replica.id())
                .withSizeLimits(requestMaxBytes, operationMaxBytes);
    }
}
