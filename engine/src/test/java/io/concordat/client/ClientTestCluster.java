package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Sha256;
import io.concordat.endpoint.ClientEndpoint;
import io.concordat.endpoint.ClientEndpointSettings;
import io.concordat.endpoint.RequestHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * Four real {@link ClientEndpoint}s on 127.0.0.1 (free ports), one per core of an {@link InProcessCluster},
 * and settings for clients that talk to them.
 */
final class ClientTestCluster implements AutoCloseable {
    private final InProcessCluster cores = new InProcessCluster();
    private final List<ClientEndpoint> endpoints = new ArrayList<>();
    private final List<URI> uris = new ArrayList<>();
    private final boolean[] stopped = new boolean[InProcessCluster.REPLICA_COUNT];
    private final ActorSystem<?> system;
    private final List<ClientEndpointSettings> settingsByReplica = new ArrayList<>();
    private final List<RequestHandler> handlerByReplica = new ArrayList<>();

    /**
     * @param handlers the handler each replica's endpoint uses, given the replica id and the cores; honest
     *     replicas use {@code cores.handler(replicaId)}
     */
    ClientTestCluster(ActorSystem<?> system, Duration replyWait,
            BiFunction<Integer, InProcessCluster, RequestHandler> handlers) {
        this.system = system;
        for (int replicaId = 0; replicaId < InProcessCluster.REPLICA_COUNT; replicaId++) {
            var settings = ClientEndpointSettings.defaults("127.0.0.1", 0, replicaId).withReplyWait(replyWait);
            RequestHandler handler = handlers.apply(replicaId, cores);
            ClientEndpoint endpoint = ClientEndpoint.start(system, settings, handler).toCompletableFuture().join();
            endpoints.add(endpoint);
            uris.add(endpoint.uri());
            settingsByReplica.add(new ClientEndpointSettings(settings.host(), endpoint.port(), replicaId,
                    settings.maxRequestBytes(), settings.maxOperationBytes(), settings.replyWait(),
                    settings.bodyReadTimeout(), settings.maxInFlightRequests(), settings.verifySignatures()));
            handlerByReplica.add(handler);
        }
    }

    static ClientTestCluster honest(ActorSystem<?> system) {
        return new ClientTestCluster(system, Duration.ofSeconds(5), (replicaId, cores) -> cores.handler(replicaId));
    }

    InProcessCluster cores() {
        return cores;
    }

    ClientEndpoint endpoint(int replicaId) {
        return endpoints.get(replicaId);
    }

    /** Closes the replica's endpoint: connections to it are refused from now on. */
    void stopEndpoint(int replicaId) {
        endpoints.get(replicaId).close();
        stopped[replicaId] = true;
    }

    /** Starts a stopped replica's endpoint again on its port, with its handler. */
    void restartEndpoint(int replicaId) {
        endpoints.set(replicaId, ClientEndpoint.start(system, settingsByReplica.get(replicaId),
                handlerByReplica.get(replicaId)).toCompletableFuture().join());
        stopped[replicaId] = false;
    }

    /** Stops both the endpoint and the core: the replica is down. */
    void crash(int replicaId) {
        stopEndpoint(replicaId);
        cores.crash(replicaId);
    }

    /** Settings for a client with its own key; generous waits, so that no test depends on speed. */
    BftClientSettings.Builder clientSettings(String clientName) {
        var builder = BftClientSettings.builder()
                .faultsTolerated(InProcessCluster.FAULTS_TOLERATED)
                .keyPair(clientKeyPair(clientName))
                .initialRetransmissionDelay(Duration.ofMillis(500))
                .maxRetransmissionDelay(Duration.ofSeconds(2))
                .maxAttempts(4)
                .readOnlyTimeout(Duration.ofSeconds(5))
                .exchangeTimeout(Duration.ofSeconds(20));
        for (int replicaId = 0; replicaId < InProcessCluster.REPLICA_COUNT; replicaId++) {
            builder.replica(replicaId, uris.get(replicaId), cores.keyPair(replicaId).publicKey());
        }
        return builder;
    }

    static Ed25519KeyPair clientKeyPair(String clientName) {
        return Ed25519KeyPair.fromSeed(Sha256.of(Bytes.ofUtf8("client-test-client-" + clientName)).value());
    }

    /** Stops the endpoints that still run, all at once: each may wait a few seconds for open exchanges. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> stopping = new ArrayList<>();
        for (int replicaId = 0; replicaId < endpoints.size(); replicaId++) {
            if (!stopped[replicaId]) {
                stopping.add(endpoints.get(replicaId).stop().toCompletableFuture());
            }
        }
        CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).join();
    }
}
