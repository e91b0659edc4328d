package io.concordat.chaos.process;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueResult;
import io.concordat.chaos.history.HistoryOperation;
import io.concordat.chaos.history.KeyValueOperation;
import io.concordat.cli.ClusterClients;
import io.concordat.cli.ClusterFile;
import io.concordat.client.BftClient;
import io.concordat.client.BftClientException;
import io.concordat.client.ReadResult;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed-loop load from several {@link BftClient}s, each recording every operation it invokes in the history:
 * gets (read-only), puts, compare-and-sets and a few deletes on a handful of shared keys, so that clients
 * contend, and puts to fresh "ledger" keys that nothing overwrites, so that every acknowledged one must be
 * read back exactly. Written values are unique ({@code c<client>-<n>}). An operation that fails or times out
 * is recorded as unknown: it may or may not have taken effect.
 */
final class CampaignLoad {
    static final List<Bytes> SHARED_KEYS = List.of(Bytes.ofUtf8("shared-0"), Bytes.ofUtf8("shared-1"),
            Bytes.ofUtf8("shared-2"), Bytes.ofUtf8("shared-3"));
    /** Far above the client's own bound (five attempts, about 25 s): waiting this long means the client hangs. */
    static final Duration OPERATION_DEADLINE = Duration.ofSeconds(90);

    private final ClusterFile cluster;
    private final int clients;
    private final long seed;
    private final Duration meanThinkTime;
    private final List<HistoryOperation> history = Collections.synchronizedList(new ArrayList<>());
    private final List<String> anomalies = Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong readFallbacks = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;

    /**
     * @param meanThinkTime each client pauses a random time between 0 and twice this after each operation, so
     *     that the replicas, on a small machine, keep some processor time for restarting and catching up
     */
    CampaignLoad(ClusterFile cluster, int clients, long seed, Duration meanThinkTime) {
        this.cluster = cluster;
        this.clients = clients;
        this.seed = seed;
        this.meanThinkTime = meanThinkTime;
    }

    void start() {
        for (int index = 0; index < clients; index++) {
            int client = index;
            Thread thread = new Thread(() -> runClient(client), "kill-campaign-client-" + client);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
    }

    /** Lets every client finish the operation it has outstanding, then stops it. */
    void stop(Duration deadline) throws InterruptedException {
        stopping = true;
        long end = System.nanoTime() + deadline.toNanos();
        for (Thread thread : threads) {
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            if (thread.isAlive()) {
                thread.interrupt();
                throw new AssertionError(thread.getName() + " did not stop within " + deadline.toSeconds() + " s");
            }
        }
    }

    List<HistoryOperation> history() {
        synchronized (history) {
            return List.copyOf(history);
        }
    }

    /** Things that are wrong whatever the faults: INVALID results, a client that neither answered nor failed. */
    List<String> anomalies() {
        synchronized (anomalies) {
            return List.copyOf(anomalies);
        }
    }

    long readFallbacks() {
        return readFallbacks.get();
    }

    /** The completion time of the first operation acknowledged after {@code nanos}, if there is one yet. */
    Optional<Long> firstAcknowledgedAfter(long nanos) {
        return history().stream().map(HistoryOperation::outcome)
                .filter(HistoryOperation.Acknowledged.class::isInstance).map(HistoryOperation.Acknowledged.class::cast)
                .map(HistoryOperation.Acknowledged::completedNanos).filter(completed -> completed > nanos)
                .min(Long::compare);
    }

    long acknowledged() {
        return history().stream().filter(HistoryOperation::isAcknowledged).count();
    }

    static BftClient newClient(ClusterFile cluster) {
        return BftClient.create(ClusterClients.settings(cluster, Ed25519KeyPair.generate(new SecureRandom())).build());
    }

    /**
     * Runs {@code operation} on {@code client}: a get as a read-only request, anything else ordered. Returns
     * the result, or throws {@link ExecutionException} (the client failed) or {@link TimeoutException}.
     */
    static Outcome invoke(BftClient client, KeyValueOperation operation)
            throws ExecutionException, TimeoutException, InterruptedException {
        byte[] bytes = operation.encode().toByteArray();
        if (operation instanceof KeyValueOperation.Get) {
            CompletableFuture<ReadResult> read = client.read(bytes).toCompletableFuture();
            ReadResult result = read.get(OPERATION_DEADLINE.toSeconds(), TimeUnit.SECONDS);
            return new Outcome(KeyValueOperations.decodeResult(result.result()), result.fellBack());
        }
        byte[] result = client.submit(bytes).toCompletableFuture()
                .get(OPERATION_DEADLINE.toSeconds(), TimeUnit.SECONDS);
        return new Outcome(KeyValueOperations.decodeResult(Bytes.wrap(result)), false);
    }

    record Outcome(KeyValueResult result, boolean fellBack) {}

    static String describe(Throwable failure) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (cause instanceof BftClientException client) {
            return client.kind().name();
        }
        return cause.getClass().getSimpleName();
    }

    private void runClient(int client) {
        var random = new Random(seed * 1_000_003L + client);
        Map<Bytes, Optional<Bytes>> lastSeen = new HashMap<>();
        long counter = 0;
        BftClient bftClient = newClient(cluster);
        try {
            while (!stopping) {
                if (counter > 0 && meanThinkTime.toMillis() > 0) {
                    Thread.sleep(random.nextInt((int) (2 * meanThinkTime.toMillis()) + 1));
                }
                counter++;
                KeyValueOperation operation = choose(random, client, counter, lastSeen);
                long invoked = System.nanoTime();
                try {
                    Outcome outcome = invoke(bftClient, operation);
                    long completed = System.nanoTime();
                    if (outcome.fellBack()) {
                        readFallbacks.incrementAndGet();
                    }
                    if (outcome.result().status() == KeyValueResult.Status.INVALID) {
                        anomalies.add("client " + client + ": " + operation + " returned " + outcome.result());
                        continue;
                    }
                    history.add(HistoryOperation.acknowledged(client, operation, invoked, completed, outcome.result()));
                    remember(lastSeen, operation, outcome.result());
                } catch (ExecutionException failed) {
                    history.add(HistoryOperation.unknown(client, operation, invoked, describe(failed)));
                    lastSeen.remove(operation.key());
                } catch (TimeoutException hung) {
                    history.add(HistoryOperation.unknown(client, operation, invoked, "no outcome within "
                            + OPERATION_DEADLINE.toSeconds() + " s"));
                    anomalies.add("client " + client + ": " + operation + " neither completed nor failed within "
                            + OPERATION_DEADLINE.toSeconds() + " s; the client was replaced");
                    bftClient.close();
                    bftClient = newClient(cluster);
                }
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } finally {
            bftClient.close();
        }
    }

    /** A quarter ledger puts; the rest on a shared key: 30% gets, 30% puts, 33% compare-and-sets, 7% deletes. */
    private static KeyValueOperation choose(Random random, int client, long counter,
            Map<Bytes, Optional<Bytes>> lastSeen) {
        Bytes value = Bytes.ofUtf8("c" + client + "-" + counter);
        if (random.nextInt(4) == 0) {
            return new KeyValueOperation.Put(Bytes.ofUtf8("ledger-c" + client + "-" + counter), value);
        }
        Bytes key = SHARED_KEYS.get(random.nextInt(SHARED_KEYS.size()));
        int choice = random.nextInt(100);
        if (choice < 30) {
            return new KeyValueOperation.Get(key);
        }
        if (choice < 60) {
            return new KeyValueOperation.Put(key, value);
        }
        if (choice < 93) {
            return new KeyValueOperation.CompareAndSet(key, lastSeen.getOrDefault(key, Optional.empty()), value);
        }
        return new KeyValueOperation.Delete(key);
    }

    /** What the key held right after the operation, as far as its result tells. */
    private static void remember(Map<Bytes, Optional<Bytes>> lastSeen, KeyValueOperation operation,
            KeyValueResult result) {
        Bytes key = operation.key();
        if (operation instanceof KeyValueOperation.Put put) {
            lastSeen.put(key, Optional.of(put.value()));
        } else if (operation instanceof KeyValueOperation.Get
                || result.status() == KeyValueResult.Status.COMPARE_FAILED) {
            lastSeen.put(key, result.value());
        } else if (operation instanceof KeyValueOperation.Delete) {
            lastSeen.put(key, Optional.empty());
        } else if (operation instanceof KeyValueOperation.CompareAndSet compareAndSet) {
            lastSeen.put(key, Optional.of(compareAndSet.newValue()));
        }
    }
}
