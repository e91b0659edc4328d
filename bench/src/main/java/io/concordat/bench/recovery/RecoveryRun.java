package io.concordat.bench.recovery;

import io.concordat.app.kv.KeyValueStore;
import io.concordat.replica.ExecutedState;
import io.concordat.replica.ReplicaNode;
import io.concordat.replica.ReplicaNodeConfiguration;
import io.concordat.replica.ReplicaSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One recovery: starts replica 0 as a real {@link ReplicaNode} on the H2 journal the generator wrote (the
 * node's own schema check, Pekko Cluster formation, Cluster Sharding, {@code DurableReplicaActor}, the
 * journal plugin and serializer, {@code ExecutionDriver.recover}) and times it until the replica answers,
 * which it does only once recovery has completed: Pekko Persistence stashes commands until then. The
 * answer (last executed sequence number and application state digest) must equal what replica 0 had when
 * the journal was written, or the run fails.
 *
 * <p>It prints one {@code recovery-result} line: the journal's size, the time to serving and its phases
 * ({@link Phases}), and the heap ({@link HeapWatch}); then the live heap's largest classes.
 */
final class RecoveryRun {
    private static final Logger log = LoggerFactory.getLogger(RecoveryRun.class);
    private static final Pattern RELATIVE_MILLIS = Pattern.compile("^(\\d+) ");

    private RecoveryRun() {}

    static void run(Path directory, int arteryPort, Path logFile) throws Exception {
        Properties journal = GeneratedJournal.load(directory);
        // Nothing reads the database before the node does: its sizes come from the generator.
        long fileBytes = JournalFile.fileBytes(GeneratedJournal.databaseFile(directory));
        var cluster = new RecoveryCluster();
        ReplicaSettings defaults = ReplicaSettings.defaults();
        // No count-based snapshot either: the whole journal stays "since the last checkpoint".
        ReplicaSettings settings = defaults.withAskTimeout(Duration.ofMinutes(30))
                .withPersistence(defaults.persistence().withH2(directory).withSnapshotEveryEvents(100_000_000));
        var configuration = new ReplicaNodeConfiguration(RecoveryCluster.RECOVERING_REPLICA, cluster.membership,
                RecoveryCluster.addresses(arteryPort), cluster.protocol, settings);

        HeapWatch heap = HeapWatch.start();
        log.info("recovery-bench: starting node");
        long started = System.nanoTime();
        ReplicaNode node = ReplicaNode.start(configuration,
                cluster.replicaKeys.get(RecoveryCluster.RECOVERING_REPLICA).signer(), KeyValueStore::new);
        ExecutedState recovered = node.executedState().toCompletableFuture().get(30, TimeUnit.MINUTES);
        double servingSeconds = (System.nanoTime() - started) / 1e9;
        log.info("recovery-bench: serving");
        heap.atServing();
        // The replica's first step after recovery (its first tick, 10 ms after recovery) sends what the
        // recovery asked for: the replies of every re-executed request. A status query sent after it waits
        // for that step.
        Thread.sleep(50);
        node.status().toCompletableFuture().get(30, TimeUnit.MINUTES);
        double firstStepSeconds = (System.nanoTime() - started) / 1e9;
        heap.settled();
        node.terminate().toCompletableFuture().get(2, TimeUnit.MINUTES);

        long expectedSequence = Long.parseLong(journal.getProperty("lastExecutedSequence"));
        String expectedDigest = journal.getProperty("applicationStateDigest");
        String digest = recovered.applicationStateDigest().value().toHex();
        if (recovered.lastExecutedSequence() != expectedSequence || !digest.equals(expectedDigest)) {
            throw new IllegalStateException("the recovered replica is at sequence " + recovered.lastExecutedSequence()
                    + " with digest " + digest + ", but the journal was written at " + expectedSequence + " with "
                    + expectedDigest);
        }
        Phases phases = Phases.fromLog(Files.readAllLines(logFile));
        JournalFile after = JournalFile.inspect(GeneratedJournal.databaseFile(directory));
        System.out.println(String.format(Locale.ROOT, "recovery-result targetMegabytes=%s payloadBytes=%d events=%d "
                        + "fileBytes=%d lastExecuted=%d servingSeconds=%.3f firstStepSeconds=%.3f recoverySeconds=%.3f startupSeconds=%.3f "
                        + "snapshotSeconds=%.3f replaySeconds=%.3f coreSeconds=%.3f %s eventsAfter=%d",
                journal.getProperty("targetMegabytes"), Long.parseLong(journal.getProperty("payloadBytes")),
                Long.parseLong(journal.getProperty("events")), fileBytes,
                recovered.lastExecutedSequence(), servingSeconds, firstStepSeconds, phases.recoverySeconds(), phases.startupSeconds(),
                phases.snapshotSeconds(), phases.replaySeconds(), phases.coreSeconds(), heap, after.events()));
        heap.histogram().lines().forEach(line -> System.out.println("live-heap " + line));
    }

    /**
     * Where the time went, from the log's relative timestamps (milliseconds since logging started): Pekko
     * Persistence's debug lines mark the start of the replica actor's recovery, the end of the snapshot
     * load (there is none here, but the first query runs) and the end of the event replay; the replica's
     * own line marks the end of the core's rebuild.
     *
     * @param startupSeconds from the start call to the replica actor starting its recovery: ActorSystem,
     *     Artery, H2 opened, cluster formed (the first seed waits for the others' seed-node-timeout before it
     *     forms a cluster alone), shard allocated
     * @param snapshotSeconds looking for a snapshot (the first query of the journal database)
     * @param replaySeconds reading and deserializing every event
     * @param coreSeconds {@code ExecutionDriver.recover}: the events replayed into a fresh core and every
     *     committed batch executed again
     * @param recoverySeconds from the actor starting its recovery to the replica answering
     */
    record Phases(double startupSeconds, double snapshotSeconds, double replaySeconds, double coreSeconds,
            double recoverySeconds) {
        static Phases fromLog(List<String> lines) {
            long starting = millisOf(lines, "recovery-bench: starting node");
            long recovering = millisOf(lines, "Initializing snapshot recovery");
            long replaying = millisOf(lines, "Replaying events: from");
            long replayed = millisOf(lines, "Recovery for persistenceId");
            long rebuilt = millisOf(lines, "replica " + RecoveryCluster.RECOVERING_REPLICA + " recovered from");
            long serving = millisOf(lines, "recovery-bench: serving");
            return new Phases((recovering - starting) / 1e3, (replaying - recovering) / 1e3,
                    (replayed - replaying) / 1e3, (rebuilt - replayed) / 1e3, (serving - recovering) / 1e3);
        }

        private static long millisOf(List<String> lines, String text) {
            Optional<String> line = lines.stream().filter(candidate -> candidate.contains(text)).findFirst();
            Matcher relative = RELATIVE_MILLIS.matcher(line.orElseThrow(() -> new IllegalStateException(
                    "no line with \"" + text + "\" in the log")));
            if (!relative.find()) {
                throw new IllegalStateException("no timestamp in " + line.get());
            }
            return Long.parseLong(relative.group(1));
        }
    }
}
