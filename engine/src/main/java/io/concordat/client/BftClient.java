package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.crypto.PublicKey;
import io.concordat.protocol.MessageSigner;
import io.concordat.wire.ProtobufCodec;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The voting client (PBFT §4.1): signs each request with the client's Ed25519 key, sends it to every
 * replica's client endpoint (on the request stream by default, see {@link BftClientSettings.Transport}),
 * checks each reply's signature against that replica's key, and completes once f+1 replicas sent the same
 * result. Reads use the read-only optimisation (§5.1.3): 2f+1 matching
 * read-only replies, or else an explicit fallback to an ordered request, reported in {@link ReadResult}.
 *
 * <p>One request is outstanding at a time, as PBFT's exactly-once semantics require (a replica keeps
 * only each client's last reply). Calls made while a request is outstanding are queued and sent in call
 * order. Every method is thread-safe. Results are delivered on the client's own threads, never on the
 * caller's.
 *
 * <pre>{@code
 * try (BftClient client = BftClient.create(settings)) {
 *     byte[] previous = client.submit(KeyValueOperations.put(key, value).toByteArray()).toCompletableFuture().join();
 *     ReadResult read = client.read(KeyValueOperations.get(key).toByteArray()).toCompletableFuture().join();
 * }
 * }</pre>
 */
public final class BftClient implements AutoCloseable {
    private static final AtomicInteger CLIENT_NUMBERS = new AtomicInteger();

    private final PublicKey clientId;
    private final ScheduledExecutorService loop;
    private final ExecutorService callbacks;
    private final RequestRound.Context context;
    private final AtomicLong readOnlyFallbacks = new AtomicLong();

    // Confined to the loop thread.
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private Optional<RequestRound> current = Optional.empty();
    private long nextRequestNumber;
    private volatile boolean closed;

    private record Queued(Bytes operation, boolean read, CompletableFuture<ReadResult> outcome) {}

    private final ReplicaTransport transport;
    private final boolean ownsTransport;

    private BftClient(BftClientSettings settings, Optional<ClientConnections> shared) {
        int clientNumber = CLIENT_NUMBERS.incrementAndGet();
        this.clientId = settings.keyPair().publicKey();
        this.nextRequestNumber = settings.firstRequestNumber();
        var scheduler = new ScheduledThreadPoolExecutor(1, daemon("concordat-client-" + clientNumber + "-loop"));
        // Closing must not wait for retransmission timers: cancelled ones leave the queue at once, and
        // delayed ones are dropped at shutdown (close() fails the requests they belonged to anyway).
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.loop = scheduler;
        this.callbacks = Executors.newCachedThreadPool(daemon("concordat-client-" + clientNumber + "-io"));
        var codec = new ProtobufCodec(settings.wireLimits());
        this.ownsTransport = shared.isEmpty();
        this.transport = shared.<ReplicaTransport>map(ClientConnections::transport).orElseGet(() ->
                settings.transport() == BftClientSettings.Transport.STREAM
                        ? new StreamReplicaTransport(settings, callbacks)
                        : new HttpReplicaTransport(settings, callbacks));
        this.context = new RequestRound.Context(settings, transport,
                new ReplyCheck(settings, codec, PairwiseKeys.ofClient(settings.keyPair().signer())),
                new MessageSigner(settings.keyPair().signer(), codec), codec, loop);
    }

    /** A client with connections of its own, over the settings' {@link BftClientSettings#transport()}. */
    public static BftClient create(BftClientSettings settings) {
        return new BftClient(Objects.requireNonNull(settings, "settings"), Optional.empty());
    }

    /**
     * A client whose requests travel on {@code connections}, which other clients may share; closing the
     * client leaves them open.
     *
     * @throws IllegalArgumentException if the connections reach other endpoints than the settings name
     */
    public static BftClient create(BftClientSettings settings, ClientConnections connections) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(connections, "connections");
        var endpoints = settings.replicas().stream().map(BftClientSettings.Replica::endpoint).toList();
        if (!connections.transport().endpoints().equals(endpoints)) {
            throw new IllegalArgumentException("the connections reach " + connections.transport().endpoints()
                    + ", but the settings name " + endpoints);
        }
        return new BftClient(settings, Optional.of(connections));
    }

    /** The client id: this client's public key, which every request carries and is signed with. */
    public PublicKey clientId() {
        return clientId;
    }

    /**
     * Orders {@code operation} and completes with the result that f+1 replicas agree on. Fails with a
     * {@link BftClientException} that describes every replica's answer if that does not happen within the
     * configured attempts.
     */
    public CompletionStage<byte[]> submit(byte[] operation) {
        return enqueue(operation, false).thenApply(ReadResult::resultBytes);
    }

    /**
     * Runs a read-only {@code operation} with the read-only optimisation: completes on 2f+1 matching
     * read-only replies without ordering. If they do not come within {@code readOnlyTimeout} (replicas
     * disagree, are behind, or do not answer), the same request is ordered and needs f+1 matching replies;
     * the result says it fell back and why. Use only for operations that do not change the state.
     */
    public CompletionStage<ReadResult> read(byte[] operation) {
        return enqueue(operation, true);
    }

    /** How many reads fell back to ordered requests since the client was created. */
    public long readOnlyFallbacks() {
        return readOnlyFallbacks.get();
    }

    /** Fails the outstanding and queued requests with {@link BftClientException.Kind#CLOSED} and stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            loop.execute(this::abortAll);
        } catch (RejectedExecutionException alreadyStopped) {
            return;
        }
        loop.shutdown();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (ownsTransport) {
            transport.close();
        }
        callbacks.shutdown();
    }

    private CompletableFuture<ReadResult> enqueue(byte[] operation, boolean read) {
        Objects.requireNonNull(operation, "operation");
        if (closed) {
            return CompletableFuture.failedFuture(closedException(0));
        }
        var outcome = new CompletableFuture<ReadResult>();
        var queued = new Queued(Bytes.copyOf(operation), read, outcome);
        try {
            loop.execute(() -> {
                if (closed) {
                    outcome.completeExceptionally(closedException(0));
                    return;
                }
                queue.addLast(queued);
                startNext();
            });
        } catch (RejectedExecutionException rejected) {
            return CompletableFuture.failedFuture(closedException(0));
        }
        return deliver(outcome);
    }

    /**
     * Hands the outcome to the caller on an I/O thread, so that callers' continuations never run on (and
     * never block) the event loop. The loop completes every outcome before {@link #close()} stops the I/O
     * threads, so each delivery still finds them running.
     */
    private CompletableFuture<ReadResult> deliver(CompletableFuture<ReadResult> outcome) {
        var delivered = new CompletableFuture<ReadResult>();
        outcome.whenCompleteAsync((result, failure) -> {
            if (failure != null) {
                delivered.completeExceptionally(failure);
                return;
            }
            if (result.fellBack()) {
                readOnlyFallbacks.incrementAndGet();
            }
            delivered.complete(result);
        }, callbacks);
        return delivered;
    }

    private void startNext() {
        if (current.isPresent() || queue.isEmpty()) {
            return;
        }
        Queued next = queue.removeFirst();
        var round = new RequestRound(context, () -> nextRequestNumber++, next.operation(), next.read(),
                next.outcome(), this::onFinished);
        current = Optional.of(round);
        round.start();
    }

    private void onFinished(RequestRound round) {
        current = Optional.empty();
        startNext();
    }

    private void abortAll() {
        current.ifPresent(round -> round.abort(closedException(round.requestNumber())));
        current = Optional.empty();
        while (!queue.isEmpty()) {
            queue.removeFirst().outcome().completeExceptionally(closedException(0));
        }
    }

    private static BftClientException closedException(long requestNumber) {
        return new BftClientException(BftClientException.Kind.CLOSED, requestNumber,
                "the client was closed before the request completed");
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger threads = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
