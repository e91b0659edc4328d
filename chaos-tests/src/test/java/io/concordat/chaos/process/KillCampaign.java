package io.concordat.chaos.process;

import io.concordat.app.Operation;
import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueResult;
import io.concordat.app.kv.KeyValueStore;
import io.concordat.chaos.history.HistoryOperation;
import io.concordat.chaos.history.KeyValueLinearizabilityChecker;
import io.concordat.chaos.history.KeyValueOperation;
import io.concordat.cli.ClusterFile;
import io.concordat.cli.ReplicaProbe;
import io.concordat.client.BftClient;
import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One crash campaign on real replica JVMs (issue 5, "Durable recovery"): under load from several clients,
 * SIGKILL a random replica every few seconds and start it again on the same journal, never more than f = 1
 * down at once, for the kill phase; then SIGKILL all replicas at once and start them all again. Then check
 * that every acknowledged write is still there (read back through the client), that every replica reached
 * the same executed sequence and state digest (and that digest is the digest of what the clients read
 * back), and that the whole client history is linearizable.
 *
 * <p>The kill schedule (victims, pauses, down times) and the clients' choice of operations come from one
 * seed; the timing of real JVMs does not, so a seed replays the schedule, not the run.
 */
final class KillCampaign {
    private static final Duration START_DEADLINE = Duration.ofMinutes(3);
    private static final Duration RESTART_DEADLINE = Duration.ofMinutes(2);
    private static final Duration PROGRESS_DEADLINE = Duration.ofMinutes(2);
    private static final Duration QUIESCENCE_DEADLINE = Duration.ofMinutes(2);
    private static final Duration LOAD_STOP_DEADLINE = Duration.ofMinutes(2);
    private static final int READERS = 4;
    private static final int READ_ATTEMPTS = 3;
    private static final PublicKey DIGEST_CLIENT = new PublicKey(Bytes.wrap(new byte[PublicKey.SIZE_BYTES]));

    /**
     * What the campaign runs: the journal, the seed, how long replicas are killed one at a time, the clients
     * and their mean pause between operations.
     */
    record Settings(String journal, long seed, Duration killPhase, int clients, Duration meanThinkTime) {}

    private final Settings settings;
    private final ClusterFile cluster;
    private final ReplicaProcesses processes;
    private final ClusterStatus status;
    private final PrintStream out;
    private final Random schedule;
    private final long origin = System.nanoTime();
    private final Figures figures = new Figures();

    KillCampaign(Settings settings, ClusterFile cluster, ReplicaProcesses processes, PrintStream out) {
        this.settings = settings;
        this.cluster = cluster;
        this.processes = processes;
        this.status = new ClusterStatus(cluster);
        this.out = out;
        this.schedule = new Random(settings.seed());
    }

    /** The campaign; throws {@link AssertionError} listing every check that failed. */
    Figures run() throws Exception {
        int replicas = cluster.replicas().size();
        for (int replicaId = 0; replicaId < replicas; replicaId++) {
            processes.start(replicaId);
        }
        awaitAllServing(START_DEADLINE);
        figures.startSeconds = seconds(origin);
        log("all %d replicas serving %.1f s after they were started", replicas, figures.startSeconds);

        Thread monitor = startMonitor();
        try {
            var load = new CampaignLoad(cluster, settings.clients(), settings.seed(), settings.meanThinkTime());
            load.start();
            try {
                awaitAcknowledgedAfter(load, System.nanoTime(), "the load started");
                sleep(Duration.ofSeconds(3));
                killOneAtATime(load);
                killAllAtOnce(load);
                sleep(Duration.ofSeconds(5));
            } finally {
                load.stop(LOAD_STOP_DEADLINE);
            }
            figures.loadStoppedSeconds = seconds(origin);
            return verify(load);
        } finally {
            monitor.interrupt();
        }
    }

    Figures figures() {
        return figures;
    }

    /** Every replica's whole status document and metrics, for a failure report. */
    String replicaDocuments() {
        return status.rawDocuments();
    }

    /**
     * Logs the replicas' views, executed sequences and pending requests whenever a view changes, and every 15 s
     * otherwise, until interrupted.
     */
    private Thread startMonitor() {
        Thread monitor = new Thread(() -> {
            String lastViews = "";
            long lastLogged = 0;
            while (!Thread.currentThread().isInterrupted()) {
                List<ReplicaProbe> probes = status.probeAll();
                String views = column(probes, ReplicaProbe.Serving::view);
                if (!views.equals(lastViews) || System.nanoTime() - lastLogged > 15_000_000_000L) {
                    log("status: views [%s] executed [%s] pending [%s]", views,
                            column(probes, ReplicaProbe.Serving::lastExecutedSequence),
                            column(probes, ReplicaProbe.Serving::pendingRequests));
                    lastViews = views;
                    lastLogged = System.nanoTime();
                }
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }, "kill-campaign-monitor");
        monitor.setDaemon(true);
        monitor.start();
        return monitor;
    }

    /** One value per replica, "-" for a replica that does not serve. */
    private static String column(List<ReplicaProbe> probes, Function<ReplicaProbe.Serving, Object> value) {
        return probes.stream().map(probe -> probe instanceof ReplicaProbe.Serving serving
                ? String.valueOf(value.apply(serving)) : "-").collect(Collectors.joining(","));
    }

    // ------------------------------------------------------------------------------------------------ phases

    /**
     * Every 1 to 4 s a SIGKILL, the victim started again after 0.2 to 2 s on the same journal. At most one
     * replica is down or recovering at a time: while one recovers, the next kill either hits it again (a crash
     * during recovery) or waits until it serves and then picks any replica. Each round draws the same random
     * numbers whatever happens, so a seed gives the same sequence of choices.
     */
    private void killOneAtATime(CampaignLoad load) {
        long acknowledgedBefore = load.acknowledged();
        long end = System.nanoTime() + settings.killPhase().toNanos();
        log("kill phase: one replica at a time for %d s", settings.killPhase().toSeconds());
        Optional<Integer> recovering = Optional.empty();
        long restarted = 0;
        while (true) {
            Duration gap = Duration.ofMillis(1_000 + schedule.nextInt(3_000));
            int randomVictim = schedule.nextInt(cluster.replicas().size());
            boolean hitTheRecoveringOneAgain = schedule.nextBoolean();
            Duration down = Duration.ofMillis(200 + schedule.nextInt(1_800));
            sleep(gap);
            if (System.nanoTime() >= end) {
                break;
            }
            int victim = randomVictim;
            boolean duringRecovery = false;
            if (recovering.isPresent()) {
                if (hitTheRecoveringOneAgain && !isServing(recovering.get())) {
                    victim = recovering.get();
                    duringRecovery = true;
                } else {
                    awaitRecovered(recovering.get(), restarted);
                }
            }
            int killedReplica = victim;
            boolean primary = status.primary().map(current -> current == killedReplica).orElse(false);
            long killed = System.nanoTime();
            processes.kill(victim);
            figures.kills++;
            figures.killsOneAtATime++;
            figures.primaryKills += primary ? 1 : 0;
            figures.killsDuringRecovery += duringRecovery ? 1 : 0;
            sleep(down);
            processes.start(victim);
            restarted = System.nanoTime();
            figures.restarts++;
            recovering = Optional.of(victim);
            log("kill %d: replica %d%s SIGKILLed at +%.1f s%s, started again after %.1f s", figures.kills, victim,
                    primary ? " (the primary)" : "", seconds(origin, killed),
                    duringRecovery ? " while it was still recovering" : "", down.toMillis() / 1e3);
            requireNoUnexpectedExit();
        }
        if (recovering.isPresent()) {
            awaitRecovered(recovering.get(), restarted);
        }
        figures.acknowledgedDuringKillPhase = load.acknowledged() - acknowledgedBefore;
        log("kill phase over: %d kills (%d of the primary, %d during a recovery), %d operations acknowledged during"
                + " it", figures.killsOneAtATime, figures.primaryKills, figures.killsDuringRecovery,
                figures.acknowledgedDuringKillPhase);
    }

    private boolean isServing(int replicaId) {
        return status.probe(replicaId) instanceof ReplicaProbe.Serving;
    }

    private void awaitRecovered(int replicaId, long restarted) {
        ReplicaProbe.Serving serving = status.awaitServing(replicaId, RESTART_DEADLINE, () -> whyNotRunning(replicaId));
        double recovery = seconds(restarted);
        figures.singleRestartSeconds.add(recovery);
        log("replica %d serving %.1f s after its restart (view %d, executed %d)", replicaId, recovery, serving.view(),
                serving.lastExecutedSequence());
    }

    private void killAllAtOnce(CampaignLoad load) {
        sleep(Duration.ofSeconds(2));
        long killed = System.nanoTime();
        processes.killAll();
        figures.kills += cluster.replicas().size();
        log("SIGKILLed all %d replicas at once at +%.1f s", cluster.replicas().size(), seconds(origin, killed));
        sleep(Duration.ofSeconds(1));
        long restarted = System.nanoTime();
        for (int replicaId = 0; replicaId < cluster.replicas().size(); replicaId++) {
            processes.start(replicaId);
            figures.restarts++;
        }
        awaitAllServing(RESTART_DEADLINE);
        figures.fullRestartServingSeconds = seconds(restarted);
        long firstAcknowledged = awaitAcknowledgedAfter(load, restarted, "every replica was restarted");
        figures.fullRestartFirstAcknowledgedSeconds = (firstAcknowledged - restarted) / 1e9;
        log("all replicas serving %.1f s after the restart; first operation acknowledged %.1f s after it",
                figures.fullRestartServingSeconds, figures.fullRestartFirstAcknowledgedSeconds);
    }

    // ------------------------------------------------------------------------------------------------ checks

    private Figures verify(CampaignLoad load) throws InterruptedException {
        List<String> failures = new ArrayList<>(load.anomalies());
        requireNoUnexpectedExit();
        List<ReplicaProbe.Serving> quiet = awaitQuiescence();
        log("quiescent at +%.1f s: every replica executed up to %d (view %d)", seconds(origin),
                quiet.get(0).lastExecutedSequence(), quiet.get(0).view());

        List<HistoryOperation> history = new ArrayList<>(load.history());
        figures.count(history, load.readFallbacks());
        Map<Bytes, HistoryOperation> finalReads = readBack(keysOf(history), history);
        failures.addAll(checkLedger(history, finalReads));
        failures.addAll(checkDigests(finalReads));

        long checking = System.nanoTime();
        KeyValueLinearizabilityChecker.Verdict verdict = KeyValueLinearizabilityChecker.check(history);
        figures.linearizabilitySeconds = seconds(checking);
        figures.linearizability = verdict.toString();
        failures.addAll(verdict.violations());
        log("linearizability: %s, checked in %.1f s", verdict, figures.linearizabilitySeconds);
        figures.totalSeconds = seconds(origin);
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " check(s) failed:\n" + String.join("\n", failures));
        }
        return figures;
    }

    /** Every acknowledged ledger put is read back exactly; an unknown one is read back exactly or not at all. */
    private List<String> checkLedger(List<HistoryOperation> history, Map<Bytes, HistoryOperation> finalReads) {
        List<String> failures = new ArrayList<>();
        for (HistoryOperation operation : history) {
            if (!(operation.operation() instanceof KeyValueOperation.Put put) || !isLedger(put.key())
                    || operation.client() >= settings.clients()) {
                continue;
            }
            KeyValueResult read = finalReads.get(put.key()).result();
            boolean present = read.status() == KeyValueResult.Status.OK
                    && read.value().equals(Optional.of(put.value()));
            if (operation.isAcknowledged()) {
                figures.ledgerAcknowledged++;
                if (!present) {
                    failures.add("acknowledged write lost: " + describe(operation) + " reads back as " + read);
                }
            } else if (present) {
                figures.ledgerUnknownPresent++;
            } else if (read.status() == KeyValueResult.Status.NOT_FOUND) {
                figures.ledgerUnknownAbsent++;
            } else {
                failures.add("ledger key " + put.key().toUtf8() + " was only ever written by " + describe(operation)
                        + " but reads back as " + read);
            }
        }
        log("ledger: %d acknowledged puts all read back: %s; of %d unknown ones %d took effect",
                figures.ledgerAcknowledged, failures.isEmpty() ? "yes" : "NO", figures.ledgerUnknownPresent + figures.ledgerUnknownAbsent,
                figures.ledgerUnknownPresent);
        return failures;
    }

    /**
     * Every replica at the same executed sequence with the same state digest, and that digest is the digest
     * of the key-value state the clients just read back.
     */
    private List<String> checkDigests(Map<Bytes, HistoryOperation> finalReads) {
        List<ReplicaProbe.Serving> after = awaitQuiescence();
        List<Operation> puts = new ArrayList<>();
        finalReads.forEach((key, read) -> read.result().value().ifPresent(value ->
                puts.add(new Operation(DIGEST_CLIENT, puts.size() + 1, KeyValueOperations.put(key, value)))));
        var store = new KeyValueStore();
        store.execute(1, puts);
        String readBack = "sha256:" + store.stateDigest().value().toHex();
        String replicas = after.get(0).applicationStateDigest().orElse("(none)");
        figures.finalSequence = after.get(0).applicationStateSequence().orElse(-1);
        figures.finalDigest = replicas;
        log("state: every replica at sequence %d with digest %s; the %d keys read back (%d present) digest to %s",
                figures.finalSequence, abbreviate(replicas), finalReads.size(), puts.size(), abbreviate(readBack));
        return readBack.equals(replicas) ? List.of() : List.of("the replicas agree on state digest " + replicas
                + " at sequence " + figures.finalSequence + ", but the state the clients read back digests to "
                + readBack);
    }

    /**
     * Waits until every replica serves, none has pending requests, and all report the same executed sequence
     * and the same application state (sequence and digest) twice in a row. Fails at once if two replicas
     * report different digests for the same sequence.
     */
    private List<ReplicaProbe.Serving> awaitQuiescence() {
        long end = System.nanoTime() + QUIESCENCE_DEADLINE.toNanos();
        List<ReplicaProbe> previous = List.of();
        while (true) {
            List<ReplicaProbe> probes = status.probeAll();
            requireNoDivergence(probes);
            if (agreedAndIdle(probes) && probes.equals(previous)) {
                return probes.stream().map(ReplicaProbe.Serving.class::cast).toList();
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("the replicas did not reach the same executed sequence and state digest"
                        + " within " + QUIESCENCE_DEADLINE.toSeconds() + " s of the load stopping"
                        + strandedView(probes) + ":\n  " + probes.stream().map(Object::toString).collect(Collectors.joining("\n  ")));
            }
            previous = probes;
            sleep(Duration.ofSeconds(1));
        }
    }

    /**
     * Names a replica that sits in a later view than all the others: it started a view change that nobody
     * joined, and PBFT has no way back for it until the others change view too.
     */
    private static String strandedView(List<ReplicaProbe> probes) {
        List<ReplicaProbe.Serving> serving = probes.stream().filter(ReplicaProbe.Serving.class::isInstance)
                .map(ReplicaProbe.Serving.class::cast).toList();
        TreeMap<Long, List<Integer>> byView = serving.stream().collect(Collectors.groupingBy(ReplicaProbe.Serving::view,
                TreeMap::new, Collectors.mapping(ReplicaProbe.Serving::replicaId, Collectors.toList())));
        if (byView.size() < 2) {
            return "";
        }
        Map.Entry<Long, List<Integer>> highest = byView.lastEntry();
        return highest.getValue().size() == 1 ? "; replica " + highest.getValue().get(0) + " is alone in view "
                + highest.getKey() + " (the others: " + byView.headMap(highest.getKey()) + "): a view change nobody"
                + " joined strands it there" : "";
    }

    private static boolean agreedAndIdle(List<ReplicaProbe> probes) {
        if (!probes.stream().allMatch(ReplicaProbe.Serving.class::isInstance)) {
            return false;
        }
        List<ReplicaProbe.Serving> serving = probes.stream().map(ReplicaProbe.Serving.class::cast).toList();
        ReplicaProbe.Serving first = serving.get(0);
        return serving.stream().allMatch(replica -> replica.pendingRequests() == 0
                && replica.lastExecutedSequence() == first.lastExecutedSequence()
                && replica.applicationStateSequence().equals(first.applicationStateSequence())
                && replica.applicationStateDigest().equals(first.applicationStateDigest()));
    }

    private static void requireNoDivergence(List<ReplicaProbe> probes) {
        Map<Long, ReplicaProbe.Serving> bySequence = new TreeMap<>();
        for (ReplicaProbe probe : probes) {
            if (probe instanceof ReplicaProbe.Serving serving && serving.applicationStateSequence().isPresent()) {
                ReplicaProbe.Serving other = bySequence.putIfAbsent(serving.applicationStateSequence().getAsLong(),
                        serving);
                if (other != null && !other.applicationStateDigest().equals(serving.applicationStateDigest())) {
                    throw new AssertionError("DIVERGENCE: replicas " + other.replicaId() + " and " + serving.replicaId()
                            + " executed up to sequence " + serving.applicationStateSequence().getAsLong()
                            + " and report different state digests: " + other + " / " + serving);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ reading back

    private static List<Bytes> keysOf(List<HistoryOperation> history) {
        List<Bytes> keys = new ArrayList<>(CampaignLoad.SHARED_KEYS);
        history.stream().map(operation -> operation.operation().key()).filter(KillCampaign::isLedger).distinct()
                .forEach(keys::add);
        return keys;
    }

    /**
     * Reads every key once through {@link #READERS} fresh clients in parallel, adds the reads to
     * {@code history} (they come after every other operation, so they check what survived), and returns
     * the acknowledged read of each key.
     */
    private Map<Bytes, HistoryOperation> readBack(List<Bytes> keys, List<HistoryOperation> history)
            throws InterruptedException {
        long started = System.nanoTime();
        Map<Bytes, HistoryOperation> reads = Collections.synchronizedMap(new LinkedHashMap<>());
        List<HistoryOperation> attempts = Collections.synchronizedList(new ArrayList<>());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> readers = new ArrayList<>();
        for (int reader = 0; reader < READERS; reader++) {
            int index = reader;
            int client = settings.clients() + reader;
            Thread thread = new Thread(() -> {
                try (BftClient bftClient = CampaignLoad.newClient(cluster)) {
                    for (int position = index; position < keys.size(); position += READERS) {
                        readOne(bftClient, client, keys.get(position), reads, attempts, failures);
                    }
                }
            }, "kill-campaign-reader-" + reader);
            readers.add(thread);
            thread.start();
        }
        for (Thread thread : readers) {
            thread.join(CampaignLoad.OPERATION_DEADLINE.toMillis() * READ_ATTEMPTS * 4);
            if (thread.isAlive()) {
                thread.interrupt();
                throw new AssertionError(thread.getName() + " did not finish reading back");
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("the cluster did not answer every read after the restart:\n"
                    + String.join("\n", failures));
        }
        history.addAll(attempts);
        figures.readBackKeys = keys.size();
        figures.readBackSeconds = seconds(started);
        log("read back %d keys in %.1f s", keys.size(), figures.readBackSeconds);
        return reads;
    }

    private static void readOne(BftClient client, int clientIndex, Bytes key, Map<Bytes, HistoryOperation> reads,
            List<HistoryOperation> attempts, List<String> failures) {
        var get = new KeyValueOperation.Get(key);
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            long invoked = System.nanoTime();
            try {
                CampaignLoad.Outcome outcome = CampaignLoad.invoke(client, get);
                var read = HistoryOperation.acknowledged(clientIndex, get, invoked, System.nanoTime(),
                        outcome.result());
                attempts.add(read);
                reads.put(key, read);
                return;
            } catch (ExecutionException | TimeoutException failed) {
                attempts.add(HistoryOperation.unknown(clientIndex, get, invoked, CampaignLoad.describe(failed)));
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                failures.add("interrupted while reading " + key.toUtf8());
                return;
            }
        }
        failures.add("reading " + key.toUtf8() + " failed " + READ_ATTEMPTS + " times");
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void awaitAllServing(Duration deadline) {
        for (int replicaId = 0; replicaId < cluster.replicas().size(); replicaId++) {
            int id = replicaId;
            status.awaitServing(replicaId, deadline, () -> whyNotRunning(id));
        }
    }

    private long awaitAcknowledgedAfter(CampaignLoad load, long nanos, String since) {
        long end = System.nanoTime() + PROGRESS_DEADLINE.toNanos();
        while (true) {
            Optional<Long> first = load.firstAcknowledgedAfter(nanos);
            if (first.isPresent()) {
                return first.get();
            }
            requireNoUnexpectedExit();
            if (System.nanoTime() > end) {
                throw new AssertionError("no operation was acknowledged within " + PROGRESS_DEADLINE.toSeconds()
                        + " s after " + since + "; replicas: " + status.probeAll());
            }
            sleep(Duration.ofMillis(100));
        }
    }

    private Optional<String> whyNotRunning(int replicaId) {
        return processes.isAlive(replicaId) ? Optional.empty() : Optional.of("its process exited on its own;"
                + " see " + processes.log(replicaId));
    }

    private void requireNoUnexpectedExit() {
        Map<Integer, Integer> exited = processes.exitedOnTheirOwn();
        if (!exited.isEmpty()) {
            throw new AssertionError("replica process(es) exited on their own (replica=exit code): " + exited);
        }
    }

    private static boolean isLedger(Bytes key) {
        return key.toUtf8().startsWith("ledger-");
    }

    private String describe(HistoryOperation operation) {
        String when = operation.outcome() instanceof HistoryOperation.Acknowledged acknowledged
                ? String.format("acknowledged at +%.3f s", seconds(origin, acknowledged.completedNanos()))
                : "outcome unknown";
        return String.format("client %d %s invoked at +%.3f s, %s", operation.client(), operation.operation(),
                seconds(origin, operation.invokedNanos()), when);
    }

    private void log(String format, Object... arguments) {
        out.printf("[kill-campaign %s +%6.1f s] %s%n", settings.journal(), seconds(origin),
                String.format(format, arguments));
        out.flush();
    }

    private static String abbreviate(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) + "..." : digest;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static double seconds(long origin, long at) {
        return (at - origin) / 1e9;
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", interrupted);
        }
    }

    /** The figures a campaign reports. */
    static final class Figures {
        double startSeconds;
        int kills;
        int killsOneAtATime;
        int primaryKills;
        int killsDuringRecovery;
        int restarts;
        final List<Double> singleRestartSeconds = new ArrayList<>();
        long acknowledgedDuringKillPhase;
        double fullRestartServingSeconds;
        double fullRestartFirstAcknowledgedSeconds;
        double loadStoppedSeconds;
        final Map<String, Long> operations = new TreeMap<>();
        final Map<String, Long> unknownReasons = new TreeMap<>();
        long readFallbacks;
        long ledgerAcknowledged;
        long ledgerUnknownPresent;
        long ledgerUnknownAbsent;
        int readBackKeys;
        double readBackSeconds;
        long finalSequence;
        String finalDigest = "";
        String linearizability = "";
        double linearizabilitySeconds;
        double totalSeconds;

        void count(List<HistoryOperation> history, long fallbacks) {
            for (HistoryOperation operation : history) {
                String kind = operation.operation().getClass().getSimpleName();
                operations.merge(kind + (operation.isAcknowledged() ? " acknowledged" : " unknown"), 1L, Long::sum);
                if (operation.outcome() instanceof HistoryOperation.Unknown unknown) {
                    unknownReasons.merge(unknown.reason(), 1L, Long::sum);
                }
            }
            readFallbacks = fallbacks;
        }

        String render() {
            List<Double> sorted = singleRestartSeconds.stream().sorted().toList();
            String restarts = sorted.isEmpty() ? "none" : String.format("min %.1f s, median %.1f s, max %.1f s",
                    sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1));
            long acknowledged = operations.entrySet().stream().filter(entry -> entry.getKey().endsWith("acknowledged"))
                    .mapToLong(Map.Entry::getValue).sum();
            long unknown = operations.entrySet().stream().filter(entry -> entry.getKey().endsWith("unknown"))
                    .mapToLong(Map.Entry::getValue).sum();
            return String.join("\n",
                    String.format("  operations: %d acknowledged, %d unknown (%s); by kind %s; read-only fallbacks %d",
                            acknowledged, unknown, unknownReasons, operations, readFallbacks),
                    String.format("  kills: %d SIGKILLs (%d one at a time, %d of them the primary and %d of a replica"
                            + " still recovering, then all 4 at once), %d restarts", kills, killsOneAtATime,
                            primaryKills, killsDuringRecovery, this.restarts),
                    String.format("  recovery: one replica serving again after its restart in %s; after all were"
                            + " killed, all serving in %.1f s and the first operation acknowledged %.1f s after the"
                            + " restart", restarts, fullRestartServingSeconds, fullRestartFirstAcknowledgedSeconds),
                    String.format("  operations acknowledged during the kill phase: %d", acknowledgedDuringKillPhase),
                    String.format("  ledger: %d acknowledged puts read back; %d unknown ones took effect, %d did not",
                            ledgerAcknowledged, ledgerUnknownPresent, ledgerUnknownAbsent),
                    String.format("  final state: sequence %d, digest %s, %d keys read back in %.1f s", finalSequence,
                            finalDigest, readBackKeys, readBackSeconds),
                    String.format("  linearizability: %s (%.1f s)", linearizability, linearizabilitySeconds),
                    String.format("  wall time: cluster up %.1f s, load stopped at %.1f s, total %.1f s", startSeconds,
                            loadStoppedSeconds, totalSeconds));
        }
    }
}
