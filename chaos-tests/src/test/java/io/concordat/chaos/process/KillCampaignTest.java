package io.concordat.chaos.process;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.concordat.cli.ClusterFile;
import io.concordat.config.LocalCluster;
import io.concordat.config.LocalClusterTemplate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The process-level crash campaign of issue 5 on both journals: four replica JVMs on 127.0.0.1 under load,
 * a random replica SIGKILLed and restarted every few seconds for {@code killcampaign.seconds} (60 by
 * default), then all four SIGKILLed at once and restarted; every acknowledged write must survive, every
 * replica must reach the same executed sequence and state digest, and the client history must be
 * linearizable. See {@link KillCampaign} and docs/chaos.md ("The crash campaign on real JVMs").
 *
 * <p>System properties: {@code killcampaign.seed} (the kill schedule's seed; random and printed by default),
 * {@code killcampaign.seconds} (the kill phase), {@code killcampaign.clients} (6),
 * {@code killcampaign.thinkMillis} (100, each client's mean pause between operations), {@code killcampaign.keep}
 * (keep the run's directory, and databases, even when it passes). The PostgreSQL variant
 * needs {@code CONCORDAT_TEST_POSTGRESQL_URL} (with {@code _USER} and {@code _PASSWORD}), which
 * {@code .ci/run} sets; without it, it is skipped and says why.
 *
 * <p>Each run's directory (keys, definition, H2 journals, replica logs) is
 * {@code chaos-tests/target/kill-campaign/JOURNAL-TIME-N}; it is deleted after a run that passed and kept
 * after one that failed. Every process started is killed afterwards, whatever happens.
 */
@Tag("e2e")
class KillCampaignTest {
    private static final int REPLICAS = 4;
    private static final int LOG_TAIL_LINES = 60;
    /** Everything but the kill phase: start, warm-up, the restart of all, reading back, checking. */
    private static final Duration FIXED_PHASES_DEADLINE = Duration.ofMinutes(10);
    /**
     * Each replica JVM: a modest heap (4 of them share the machine), one GC thread instead of many, and only the
     * quick JIT compiler: a replica is restarted many times and spends its short life starting up, where C2's
     * compilations would take the processor from the others.
     */
    private static final List<String> NODE_JAVA_OPTIONS = List.of("-Xmx512m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private ReplicaProcesses processes;
    private CampaignJournal journal;

    @AfterEach
    void stopEverything() {
        if (processes != null) {
            processes.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    /**
     * H2, the default journal. Before {@link io.concordat.persistence.H2CrashRecovery}, every run failed: after a
     * SIGKILL, H2 opened some replica's journal without its last commits (its header chain stops short of a
     * chunk written into reused space), and the journal anchor refused that replica. The summary line counts
     * the starts at which the recovery found such commits.
     */
    @Test
    void h2Journal() throws Exception {
        Path directory = runDirectory("h2");
        journal = CampaignJournal.h2();
        campaign(directory);
    }

    @Test
    void postgresqlJournal() throws Exception {
        Optional<CampaignJournal.PostgresqlServer> server = CampaignJournal.postgresqlFromEnvironment();
        assumeTrue(server.isPresent(), "CONCORDAT_TEST_POSTGRESQL_URL is not set, so the PostgreSQL crash campaign"
                + " does not run (.ci/run starts a server and sets CONCORDAT_TEST_POSTGRESQL_URL/_USER/_PASSWORD)");
        server.get().requireReachable();
        Path directory = runDirectory("postgresql");
        journal = server.get().databasesFor(REPLICAS, directory.resolve("postgresql"));
        campaign(directory);
    }

    private void campaign(Path directory) throws Exception {
        var settings = new KillCampaign.Settings(journal.name(), seed(),
                Duration.ofSeconds(Integer.getInteger("killcampaign.seconds", 60)),
                Integer.getInteger("killcampaign.clients", 6),
                Duration.ofMillis(Integer.getInteger("killcampaign.thinkMillis", 100)));
        LocalCluster cluster = LocalClusterTemplate.generate(REPLICAS, directory,
                LocalClusterTemplate.freeBasePort(REPLICAS, new Random()));
        ClusterFile clusterFile = ClusterFile.of(cluster.definition(), "unused");
        processes = new ReplicaProcesses(cluster, journal, directory.resolve("logs"), NODE_JAVA_OPTIONS);
        System.out.printf("[kill-campaign %s] seed %d, kill phase %d s, %d clients, cluster in %s, base port %d%n",
                settings.journal(), settings.seed(), settings.killPhase().toSeconds(), settings.clients(), directory,
                clusterFile.replicas().get(0).arteryPort());
        var campaign = new KillCampaign(settings, clusterFile, processes, System.out);
        try {
            KillCampaign.Figures figures = assertTimeoutPreemptively(settings.killPhase().plus(FIXED_PHASES_DEADLINE),
                    campaign::run, () -> "the campaign did not finish in time");
            System.out.printf("[kill-campaign %s] passed, seed %d:%n%s%n", settings.journal(), settings.seed(),
                    figures.render());
            if (settings.journal().equals("h2")) {
                System.out.printf("[kill-campaign h2] starts at which H2 would have opened a journal without its "
                        + "last commits (H2CrashRecovery recovered them): %d%n",
                        linesMentioning(directory.resolve("logs"), "see H2CrashRecovery"));
            }
        } catch (Throwable failed) {
            System.out.println(failureReport(settings, campaign, directory, failed));
            throw failed;
        }
        processes.close();
        if (Boolean.getBoolean("killcampaign.keep")) {
            String kept = journal.keepForInvestigation();
            System.out.printf("[kill-campaign %s] kept %s%s%n", settings.journal(), directory,
                    kept.isEmpty() ? "" : "; " + kept);
        } else {
            deleteRecursively(directory);
        }
    }

    private String failureReport(KillCampaign.Settings settings, KillCampaign campaign, Path directory,
            Throwable failed) {
        String kept = journal.keepForInvestigation();
        String test = settings.journal().equals("h2") ? "h2Journal" : "postgresqlJournal";
        return String.join("\n",
                "[kill-campaign " + settings.journal() + "] FAILED with seed " + settings.seed() + ": "
                        + failed.getMessage(),
                campaign.figures().render(),
                "  replica logs and journals kept in " + directory + (kept.isEmpty() ? "" : "\n  " + kept),
                "  replay this kill schedule: mvn -B -ntp -pl chaos-tests -am test -Dtest='KillCampaignTest#" + test
                        + "' -Dsurefire.failIfNoSpecifiedTests=false -Dkillcampaign.seed=" + settings.seed(),
                campaign.replicaDocuments(),
                processes.logTails(LOG_TAIL_LINES));
    }

    private static long seed() {
        Long chosen = Long.getLong("killcampaign.seed");
        return chosen != null ? chosen : new SecureRandom().nextLong() & Long.MAX_VALUE;
    }

    private static Path runDirectory(String journal) throws IOException {
        String time = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path directory = Path.of("target", "kill-campaign", journal + "-" + time + "-" + System.nanoTime() % 10_000)
                .toAbsolutePath();
        Files.createDirectories(directory);
        return directory;
    }

    /** Lines of the replica logs that contain {@code text}. */
    private static long linesMentioning(Path logs, String text) throws IOException {
        try (Stream<Path> files = Files.list(logs)) {
            long lines = 0;
            for (Path log : files.filter(file -> file.toString().endsWith(".log")).toList()) {
                try (Stream<String> content = Files.lines(log, StandardCharsets.UTF_8)) {
                    lines += content.filter(line -> line.contains(text)).count();
                }
            }
            return lines;
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> {
                try {
                    Files.delete(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.out.println("[kill-campaign] could not delete " + directory + ": " + e.getMessage());
        }
    }
}
