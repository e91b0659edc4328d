package io.concordat.client;

import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Connections to a cluster's replicas that many {@link BftClient}s share: one request stream per replica
 * ({@code GET /v1/stream}) carries the requests of all of them, instead of a connection and a thread pool
 * per client. Each client still signs its own requests and checks every reply against the replica's key;
 * the connections only carry bytes. Close it after the clients that use it.
 *
 * <pre>{@code
 * try (ClientConnections connections = ClientConnections.open(settings)) {
 *     BftClient alice = BftClient.create(settings, connections);
 *     BftClient bob = BftClient.create(settingsWithBobsKey, connections);
 *     ...
 * }
 * }</pre>
 */
public final class ClientConnections implements AutoCloseable {
    private static final AtomicInteger NUMBERS = new AtomicInteger();

    private final StreamReplicaTransport transport;
    private final ExecutorService executor;

    private ClientConnections(BftClientSettings settings) {
        int number = NUMBERS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "concordat-connections-" + number + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.transport = new StreamReplicaTransport(settings, executor);
    }

    /**
     * Connections to the replicas of {@code settings} (their endpoints, and its connect and exchange
     * time-outs and wire limits); its key pair is not used. Sockets open on first use.
     */
    public static ClientConnections open(BftClientSettings settings) {
        return new ClientConnections(Objects.requireNonNull(settings, "settings"));
    }

    StreamReplicaTransport transport() {
        return transport;
    }

    /** Ends the sockets; requests still in flight on them complete as unreachable. */
    @Override
    public void close() {
        transport.close();
        executor.shutdown();
    }
}
