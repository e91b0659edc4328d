package io.concordat.bench.recovery;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.concordat.persistence.JdbcJournalConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * How long a durable replica takes to recover, against the size of its journal since the last checkpoint.
 * Two steps, each in its own JVM (bench/scripts/recovery-time.sh runs them):
 *
 * <pre>
 * RecoveryTime generate DIR MEGABYTES [CLIENTS]   writes replica 0's H2 journal, MEGABYTES x 10^6 payload bytes
 * RecoveryTime recover DIR [ARTERY_PORT]           starts replica 0 on it and prints one recovery-result line
 * </pre>
 *
 * Each step logs to {@code DIR/generate.log} or {@code DIR/recover.log} (overwritten).
 */
public final class RecoveryTime {
    private static final int DEFAULT_CLIENTS = 128;

    private RecoveryTime() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !(args[0].equals("generate") && args.length >= 3 || args[0].equals("recover"))) {
            System.err.println("usage: RecoveryTime generate DIR MEGABYTES [CLIENTS] | RecoveryTime recover DIR [ARTERY_PORT]");
            System.exit(64);
        }
        Path directory = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(directory);
        Path logFile = directory.resolve(args[0] + ".log");
        // Before anything touches SLF4J.
        System.setProperty("recovery.log", logFile.toString());
        System.setProperty("logback.configurationFile", "io/concordat/bench/recovery/logback-recovery.xml");
        try {
            if (args[0].equals("generate")) {
                generate(directory, Long.parseLong(args[2]), args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_CLIENTS);
            } else {
                RecoveryRun.run(directory, args.length > 2 ? Integer.parseInt(args[2]) : freePort(), logFile);
            }
        } catch (Exception failure) {
            System.err.println("RecoveryTime " + args[0] + " failed (log: " + logFile + "): " + failure);
            failure.printStackTrace();
            System.exit(1);
        }
        // Pekko and H2 leave non-daemon threads behind.
        System.exit(0);
    }

    private static void generate(Path directory, long megabytes, int clients) throws Exception {
        Path database = GeneratedJournal.databaseFile(directory);
        if (Files.exists(database.resolveSibling("journal.mv.db"))) {
            throw new IOException(database + ".mv.db exists already; generate into an empty directory");
        }
        Files.createDirectories(database.getParent());
        Config config = ConfigFactory.load(ConfigFactory.parseString(String.join("\n",
                        "pekko.loggers = [\"org.apache.pekko.event.slf4j.Slf4jLogger\"]",
                        "pekko.logging-filter = \"org.apache.pekko.event.slf4j.Slf4jLoggingFilter\""))
                .withFallback(JdbcJournalConfig.h2(database)));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "journal-generator", config);
        JournalGenerator.Result result;
        try {
            JdbcJournalConfig.createSchemaIfNotExists(system).toCompletableFuture().get(60, TimeUnit.SECONDS);
            ActorRef<JournalWriter.Write> writer = system.systemActorOf(JournalWriter.create(), "journal-writer",
                    Props.empty());
            result = new JournalGenerator(system, writer, clients, System.out::println).generate(megabytes * 1_000_000L);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(2, TimeUnit.MINUTES);
        }
        JournalFile file = JournalFile.inspect(database);
        if (file.events() != result.events() || file.payloadBytes() != result.payloadBytes() || file.snapshots() != 0) {
            throw new IllegalStateException("the journal holds " + file + ", but replica 0 persisted " + result);
        }
        var properties = new Properties();
        properties.setProperty("targetMegabytes", Long.toString(megabytes));
        properties.setProperty("events", Long.toString(file.events()));
        properties.setProperty("payloadBytes", Long.toString(file.payloadBytes()));
        properties.setProperty("fileBytes", Long.toString(file.fileBytes()));
        properties.setProperty("batches", Long.toString(result.batches()));
        properties.setProperty("requests", Long.toString(result.requests()));
        properties.setProperty("lastExecutedSequence", Long.toString(result.lastExecutedSequence()));
        properties.setProperty("applicationStateDigest", result.applicationStateDigest());
        GeneratedJournal.save(directory, properties);
        System.out.println(String.format(Locale.ROOT, "journal-generated targetMegabytes=%d events=%d payloadBytes=%d "
                        + "fileBytes=%d batches=%d requests=%d requestsPerBatch=%.2f lastExecuted=%d seconds=%.1f",
                megabytes, file.events(), file.payloadBytes(), file.fileBytes(), result.batches(), result.requests(),
                (double) result.requests() / Math.max(1, result.batches()), result.lastExecutedSequence(),
                result.seconds()));
    }

    private static int freePort() throws IOException {
        try (var socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
