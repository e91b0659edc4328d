package io.concordat.cli;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueResult;
import io.concordat.client.BftClient;
import io.concordat.client.BftClientException;
import io.concordat.client.BftClientSettings;
import io.concordat.client.ClientConnections;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop load ({@code concordat bench}): each of C clients, with its own fresh key, sends a put, waits
 * for the agreed result, and sends the next at once. Operations that start during the warm-up are not
 * measured; those that start in the measured window are, and their latency (send to agreed result) goes
 * into an HdrHistogram in microseconds. A failed operation counts as an error, and its client pauses
 * briefly before the next one so that a down cluster is not hammered.
 */
final class LoadGenerator {
    /** Each client writes its own keys, cycling through this many, so the store's size stays bounded. */
    static final int KEYS_PER_CLIENT = 128;
    static final long HIGHEST_TRACKABLE_MICROSECONDS = TimeUnit.MINUTES.toMicros(5);
    private static final Duration ERROR_PAUSE = Duration.ofMillis(200);
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(60);

    record Settings(int clients, Duration warmup, Duration duration, int payloadBytes) {
        Settings {
            Objects.requireNonNull(warmup, "warmup");
            Objects.requireNonNull(duration, "duration");
        }
    }

    /** What one second of progress looks like. */
    record Progress(long elapsedSeconds, boolean warmingUp, long measuredOperations, long lastSecondOperations,
            long errors) {}

    /**
     * The outcome: measured operations, their latencies, errors by kind, and how many sequence numbers (batches)
     * the cluster executed in the measured window, read from the replicas' admin endpoints at its start and
     * end (empty if no replica answered both times).
     */
    record Outcome(long operations, Histogram latencyMicroseconds, Map<String, Long> errors, Duration measured,
            OptionalLong batchesExecuted) {}

    private final ClusterFile cluster;
    private final Settings settings;
    private final AdminProbes probes = new AdminProbes(Duration.ofSeconds(2));
    private final ConcurrentHistogram latencies = new ConcurrentHistogram(HIGHEST_TRACKABLE_MICROSECONDS, 3);
    private final LongAdder measured = new LongAdder();
    private final AtomicLong completedAll = new AtomicLong();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private volatile long warmupEndNanos;
    private volatile long endNanos;

    LoadGenerator(ClusterFile cluster, Settings settings) {
        this.cluster = cluster;
        this.settings = settings;
    }

    Outcome run(Consumer<Progress> progress) {
        var random = new SecureRandom();
        byte[] value = new byte[settings.payloadBytes()];
        random.nextBytes(value);
        Bytes payload = Bytes.wrap(value);
        List<BftClient> clients = new ArrayList<>();
        ScheduledExecutorService pauses = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "concordat-bench-pauses");
            thread.setDaemon(true);
            return thread;
        });
        List<BftClientSettings> clientSettings = new ArrayList<>();
        for (int index = 0; index < settings.clients(); index++) {
            clientSettings.add(ClusterClients.settings(cluster, Ed25519KeyPair.generate(random)).build());
        }
        // One request stream per replica carries every client's requests, as a service's clients would share them.
        ClientConnections connections = ClientConnections.open(clientSettings.get(0));
        try {
            for (BftClientSettings each : clientSettings) {
                clients.add(BftClient.create(each, connections));
            }
            long start = System.nanoTime();
            warmupEndNanos = start + settings.warmup().toNanos();
            endNanos = warmupEndNanos + settings.duration().toNanos();
            var finished = new CountDownLatch(clients.size());
            for (int index = 0; index < clients.size(); index++) {
                new ClientLoop(index, clients.get(index), payload, pauses, finished).next();
            }
            OptionalLong batchesExecuted = report(progress, start, finished);
            awaitQuietly(finished, DRAIN_DEADLINE);
            Map<String, Long> errorCounts = new TreeMap<>();
            errors.forEach((kind, count) -> errorCounts.put(kind, count.sum()));
            return new Outcome(measured.sum(), latencies.copy(), errorCounts, settings.duration(), batchesExecuted);
        } finally {
            clients.forEach(BftClient::close);
            connections.close();
            probes.close();
            pauses.shutdownNow();
        }
    }

    /** Reports every second; returns the batches executed between the first measured second and the end. */
    private OptionalLong report(Consumer<Progress> progress, long start, CountDownLatch finished) {
        long previous = 0;
        long second = 1;
        OptionalLong sequenceAtWindowStart = settings.warmup().isZero() ? highestExecutedSequence()
                : OptionalLong.empty();
        while (System.nanoTime() < endNanos) {
            long next = start + TimeUnit.SECONDS.toNanos(second);
            long wait = Math.min(next, endNanos) - System.nanoTime();
            if (wait > 0 && awaitQuietly(finished, Duration.ofNanos(wait))) {
                return OptionalLong.empty();
            }
            if (System.nanoTime() >= endNanos) {
                break;
            }
            if (sequenceAtWindowStart.isEmpty() && System.nanoTime() >= warmupEndNanos) {
                sequenceAtWindowStart = highestExecutedSequence();
            }
            long completed = completedAll.get();
            long errorTotal = errors.values().stream().mapToLong(LongAdder::sum).sum();
            progress.accept(new Progress(second, System.nanoTime() < warmupEndNanos, measured.sum(),
                    completed - previous, errorTotal));
            previous = completed;
            second++;
        }
        OptionalLong sequenceAtEnd = highestExecutedSequence();
        if (sequenceAtWindowStart.isEmpty() || sequenceAtEnd.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(sequenceAtEnd.getAsLong() - sequenceAtWindowStart.getAsLong());
    }

    /** The highest last-executed sequence number any replica reports, or empty if none answers. */
    private OptionalLong highestExecutedSequence() {
        return probes.probeAll(cluster.replicas()).stream()
                .filter(ReplicaProbe.Serving.class::isInstance)
                .mapToLong(probe -> ((ReplicaProbe.Serving) probe).lastExecutedSequence())
                .max();
    }

    private static boolean awaitQuietly(CountDownLatch latch, Duration timeout) {
        try {
            return latch.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** One closed loop: the next operation starts when the previous one completes. */
    private final class ClientLoop {
        private final int clientIndex;
        private final BftClient client;
        private final Bytes payload;
        private final ScheduledExecutorService pauses;
        private final CountDownLatch finished;
        private long sequence;

        ClientLoop(int clientIndex, BftClient client, Bytes payload, ScheduledExecutorService pauses,
                CountDownLatch finished) {
            this.clientIndex = clientIndex;
            this.client = client;
            this.payload = payload;
            this.pauses = pauses;
            this.finished = finished;
        }

        void next() {
            long started = System.nanoTime();
            if (started >= endNanos) {
                finished.countDown();
                return;
            }
            Bytes key = Bytes.ofUtf8("bench-" + clientIndex + "-" + (sequence++ % KEYS_PER_CLIENT));
            byte[] operation = KeyValueOperations.put(key, payload).toByteArray();
            client.submit(operation).whenComplete((result, failure) -> {
                long latencyNanos = System.nanoTime() - started;
                completedAll.incrementAndGet();
                String error = failure != null ? describe(failure) : checkResult(result);
                boolean counted = started >= warmupEndNanos;
                if (error == null) {
                    if (counted) {
                        latencies.recordValue(Math.min(HIGHEST_TRACKABLE_MICROSECONDS,
                                TimeUnit.NANOSECONDS.toMicros(latencyNanos)));
                        measured.increment();
                    }
                    next();
                    return;
                }
                if (counted) {
                    errors.computeIfAbsent(error, kind -> new LongAdder()).increment();
                }
                try {
                    pauses.schedule(this::next, ERROR_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException stopped) {
                    finished.countDown();
                }
            });
        }

        private String checkResult(byte[] result) {
            try {
                KeyValueResult decoded = KeyValueOperations.decodeResult(Bytes.wrap(result));
                return decoded.isOk() ? null : decoded.status().name();
            } catch (IllegalArgumentException e) {
                return "UNDECODABLE_RESULT";
            }
        }

        private String describe(Throwable failure) {
            Throwable cause = failure.getCause() != null && !(failure instanceof BftClientException)
                    ? failure.getCause() : failure;
            return cause instanceof BftClientException clientFailure ? clientFailure.kind().name()
                    : cause.getClass().getSimpleName();
        }
    }
}
