package io.concordat.launcher;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.concordat.config.ClusterDefinition;
import io.concordat.config.ReplicaDefinition;
import io.concordat.endpoint.ClientEndpoint;
import io.concordat.endpoint.ClientEndpointSettings;
import io.concordat.endpoint.RequestHandler;
import io.concordat.replica.ReplicaNode;
import io.concordat.replica.ReplicaNodeConfiguration;
import io.concordat.wire.WireLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts one replica of a cluster in this JVM: the {@link ReplicaNode} (its ActorSystem joins the Pekko
 * cluster on the replica's Artery port), the client endpoint on the client port, wired to the replica, and
 * the {@link AdminEndpoint} on the admin port.
 *
 * <p>Every mistake an operator can make before the node starts (a replica id not in the definition, a key
 * that is not the replica's, a port already in use) fails with an {@link IllegalArgumentException} or
 * {@link IllegalStateException} whose message says what to fix, before anything is bound.
 */
public final class NodeLauncher {
    /** How long binding an endpoint may take before start-up gives up. */
    static final Duration BIND_TIMEOUT = Duration.ofSeconds(30);
    /** The launcher's defaults under the application's configuration (shorter shutdown phases). */
    static final String NODE_DEFAULTS = "io/concordat/launcher/node.conf";

    private static final Logger LOG = LoggerFactory.getLogger(NodeLauncher.class);

    private NodeLauncher() {}

    public static RunningNode start(NodeLaunch launch) {
        ClusterDefinition definition = launch.definition();
        ReplicaDefinition replica = replicaOf(definition, launch.replicaId());
        requireOwnKey(definition, replica, launch);
        String listenHost = launch.listenHost().orElse(replica.host());
        requireFreePorts(replica, listenHost);
        Config settings = launch.config()
                .withFallback(ConfigFactory.parseResources(NodeLauncher.class.getClassLoader(), NODE_DEFAULTS));
        ReplicaNodeConfiguration configuration = NodeConfigurations.replicaNode(definition, replica.id(),
                ConfigFactory.load(settings));
        LOG.atInfo().addKeyValue("replica", replica.id()).addKeyValue("cluster", definition.name())
                .addKeyValue("replicas", definition.size()).addKeyValue("faultsTolerated", definition.faultsTolerated())
                .log("starting replica {} of cluster {}", replica.id(), definition.name());
        ReplicaNode node = ReplicaNode.start(configuration, launch.keyPair().signer(), launch.stateMachineFactory(),
                settings);
        try {
            ClientEndpointSettings endpointSettings = NodeConfigurations.clientEndpoint(definition, replica, listenHost);
            RequestHandler handler = AllowedClients.inFrontOf(node.requestHandler(), definition.allowedClientKeys(),
                    new WireLimits(endpointSettings.maxRequestBytes(), endpointSettings.maxOperationBytes(),
                            WireLimits.DEFAULT_MAX_BATCH_REQUESTS));
            ClientEndpoint clientEndpoint = await(ClientEndpoint.start(node.system(), endpointSettings, handler,
                    node.signatureVerifier())
                    .toCompletableFuture(), "client endpoint", replica.clientPort());
            AdminEndpoint adminEndpoint = await(AdminEndpoint.start(node, clientEndpoint, listenHost,
                    replica.adminPort()).toCompletableFuture(), "admin endpoint", replica.adminPort());
            return new RunningNode(node, clientEndpoint, adminEndpoint);
        } catch (RuntimeException failed) {
            node.terminate();
            throw failed;
        }
    }

    private static ReplicaDefinition replicaOf(ClusterDefinition definition, int replicaId) {
        return definition.replica(replicaId).orElseThrow(() -> new IllegalArgumentException("replica " + replicaId
                + " is not in cluster " + definition.name() + ", whose replicas are 0.." + (definition.size() - 1)));
    }

    private static void requireOwnKey(ClusterDefinition definition, ReplicaDefinition replica, NodeLaunch launch) {
        if (replica.publicKey().equals(launch.keyPair().publicKey())) {
            return;
        }
        String whose = definition.replicaWithKey(launch.keyPair().publicKey())
                .map(other -> "it is replica " + other.id() + "'s key")
                .orElse("the definition names no replica with this key");
        throw new IllegalArgumentException("the key pair given is not replica " + replica.id() + "'s key in the"
                + " cluster definition (" + whose + "); start the node with replica " + replica.id() + "'s key");
    }

    /** A clear message now beats Artery's or Pekko HTTP's bind failure later. */
    private static void requireFreePorts(ReplicaDefinition replica, String listenHost) {
        List<String> busy = new ArrayList<>();
        checkPort(replica.host(), replica.arteryPort(), "Artery (replica-to-replica)", busy);
        checkPort(listenHost, replica.clientPort(), "client endpoint", busy);
        checkPort(listenHost, replica.adminPort(), "admin endpoint", busy);
        if (!busy.isEmpty()) {
            throw new IllegalStateException("cannot start replica " + replica.id() + ": " + String.join("; ", busy)
                    + ". Is this replica (or another cluster) already running? Stop it, or choose other ports");
        }
    }

    private static void checkPort(String host, int port, String role, List<String> busy) {
        try (var socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            busy.add("port " + port + " on " + host + " (" + role + ") cannot be bound: " + e.getMessage());
        }
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> binding, String what, int port) {
        try {
            return binding.get(BIND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while binding the " + what, interrupted);
        } catch (ExecutionException failed) {
            throw new IllegalStateException("cannot bind the " + what + " on port " + port + ": "
                    + failed.getCause().getMessage(), failed.getCause());
        } catch (TimeoutException timedOut) {
            throw new IllegalStateException("the " + what + " did not bind port " + port + " within "
                    + BIND_TIMEOUT.toSeconds() + " s", timedOut);
        }
    }
}
