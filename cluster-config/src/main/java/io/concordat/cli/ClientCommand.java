package io.concordat.cli;

import io.concordat.app.kv.KeyValueOperations;
import io.concordat.app.kv.KeyValueResult;
import io.concordat.client.BftClient;
import io.concordat.client.BftClientException;
import io.concordat.client.BftClientSettings;
import io.concordat.client.ReadResult;
import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code concordat client}: one operation on the reference key-value store through the voting client
 * ({@code BftClient}), which accepts a result only when f+1 replicas agree on it (2f+1 for a read).
 *
 * <p>It signs with the client key named in {@code cluster.json} (generated if missing), and keeps that
 * key's request numbers increasing across invocations in a {@link RequestNumberFile} next to the key; the
 * file's lock also keeps two invocations with the same key from overlapping.
 */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = {"Runs one key-value operation on the cluster through the voting client.",
                "Exit code 0 on OK, 3 when a get or delete finds nothing or a cas finds another value,"
                        + " 1 when the cluster does not give an agreed answer."},
        subcommands = {ClientCommand.Put.class, ClientCommand.Get.class, ClientCommand.Delete.class,
                ClientCommand.CompareAndSet.class})
final class ClientCommand implements Runnable {
    /** The word {@code cas} takes for "the key must be absent". */
    static final String ABSENT = "absent";

    @Spec
    CommandSpec spec;

    @Option(names = "--cluster", paramLabel = "FILE", defaultValue = ConcordatCli.DEFAULT_CLUSTER_FILE,
            scope = ScopeType.INHERIT, description = "The cluster file (default: ${DEFAULT-VALUE}).")
    Path clusterFile;

    @Option(names = "--key", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "The client's private key file. Default: the clientKey of the cluster file.")
    Optional<Path> keyFile;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30", scope = ScopeType.INHERIT,
            description = "How long to wait for an agreed result (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing operation: put, get, delete or cas");
    }

    @Command(name = "put", mixinStandardHelpOptions = true, description = "Stores VALUE under KEY.")
    static final class Put implements Callable<Integer> {
        @ParentCommand
        ClientCommand client;
        @Parameters(index = "0", paramLabel = "KEY", description = "The key, as UTF-8 text.")
        String key;
        @Parameters(index = "1", paramLabel = "VALUE", description = "The value, as UTF-8 text.")
        String value;

        @Override
        public Integer call() {
            return client.run(KeyValueOperations.put(Bytes.ofUtf8(key), Bytes.ofUtf8(value)), false, result -> {
                if (result.status() != KeyValueResult.Status.OK) {
                    return unexpected(result);
                }
                return client.print(result.value().map(previous -> "OK previous=" + ValueText.render(previous))
                        .orElse("OK (no previous value)"), ExitCodes.OK);
            });
        }
    }

    /** NOT_FOUND (exit 3), or the label and the value for OK; anything else is unexpected for get and delete. */
    private static int printValueOrNotFound(ClientCommand client, KeyValueResult result, String label) {
        if (result.status() == KeyValueResult.Status.NOT_FOUND) {
            return client.print("NOT_FOUND", ExitCodes.NEGATIVE);
        }
        if (result.status() != KeyValueResult.Status.OK) {
            return unexpected(result);
        }
        return client.print(label + ValueText.render(result.value().orElse(Bytes.EMPTY)), ExitCodes.OK);
    }

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Prints the value stored under KEY (a read-only request; it falls back to an ordered one"
                    + " if 2f+1 replicas do not agree at once).")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        ClientCommand client;
        @Parameters(index = "0", paramLabel = "KEY", description = "The key, as UTF-8 text.")
        String key;

        @Override
        public Integer call() {
            return client.run(KeyValueOperations.get(Bytes.ofUtf8(key)), true,
                    result -> printValueOrNotFound(client, result, "OK value="));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Removes KEY and prints what it held.")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        ClientCommand client;
        @Parameters(index = "0", paramLabel = "KEY", description = "The key, as UTF-8 text.")
        String key;

        @Override
        public Integer call() {
            return client.run(KeyValueOperations.delete(Bytes.ofUtf8(key)), false,
                    result -> printValueOrNotFound(client, result, "OK deleted="));
        }
    }

    @Command(name = "cas", mixinStandardHelpOptions = true,
            description = {"Compare-and-set: stores NEW under KEY only if KEY now holds EXPECTED.",
                    "EXPECTED '" + ABSENT + "' means KEY must not exist (use --literal to compare with the text '"
                            + ABSENT + "')."})
    static final class CompareAndSet implements Callable<Integer> {
        @ParentCommand
        ClientCommand client;
        @Parameters(index = "0", paramLabel = "KEY", description = "The key, as UTF-8 text.")
        String key;
        @Parameters(index = "1", paramLabel = "EXPECTED",
                description = "The value KEY must hold now, or '" + ABSENT + "'.")
        String expected;
        @Parameters(index = "2", paramLabel = "NEW", description = "The value to store.")
        String newValue;
        @Option(names = "--literal", description = "Take EXPECTED as text even if it is '" + ABSENT + "'.")
        boolean literal;

        @Override
        public Integer call() {
            return client.run(KeyValueOperations.compareAndSet(Bytes.ofUtf8(key), expectedValue(expected, literal),
                    Bytes.ofUtf8(newValue)), false, result -> {
                        if (result.status() == KeyValueResult.Status.COMPARE_FAILED) {
                            return client.print("COMPARE_FAILED current=" + result.value().map(ValueText::render)
                                    .orElse(ABSENT), ExitCodes.NEGATIVE);
                        }
                        if (result.status() != KeyValueResult.Status.OK) {
                            return unexpected(result);
                        }
                        return client.print("OK", ExitCodes.OK);
                    });
        }

        /** {@code absent} means "the key must not exist", unless {@code literal}. */
        static Optional<Bytes> expectedValue(String expected, boolean literal) {
            return !literal && expected.equals(ABSENT) ? Optional.empty() : Optional.of(Bytes.ofUtf8(expected));
        }
    }

    private static int unexpected(KeyValueResult result) {
        throw new CliException("the cluster refused the operation: " + result);
    }

    private int print(String line, int exitCode) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
        return exitCode;
    }

    private int run(Bytes operation, boolean read, Function<KeyValueResult, Integer> render) {
        if (timeoutSeconds < 1) {
            throw new CliException("--timeout must be at least 1 second, got " + timeoutSeconds, ExitCodes.USAGE);
        }
        ClusterFile cluster = ClusterFile.read(clusterFile);
        Path clientKeyFile = keyFile.orElseGet(() -> cluster.clientKeyFile(clusterFile));
        PrintWriter err = spec.commandLine().getErr();
        Ed25519KeyPair keyPair = ClusterClients.loadOrGenerateKey(clientKeyFile, message -> {
            err.println("concordat: " + message);
            err.flush();
        });
        try (RequestNumberFile.Lease lease = RequestNumberFile.acquire(RequestNumberFile.forKey(clientKeyFile),
                Clock.systemUTC())) {
            BftClientSettings settings;
            try {
                settings = ClusterClients.settings(cluster, keyPair).firstRequestNumber(lease.firstRequestNumber())
                        .build();
            } catch (IllegalArgumentException e) {
                throw new CliException(clusterFile + " does not describe a usable cluster: " + e.getMessage());
            }
            Bytes result = execute(settings, operation, read, err);
            KeyValueResult decoded;
            try {
                decoded = KeyValueOperations.decodeResult(result);
            } catch (IllegalArgumentException e) {
                throw new CliException("the replicas agreed on a result that is not a key-value result ("
                        + e.getMessage() + "); is this cluster running the reference key-value store?");
            }
            return render.apply(decoded);
        }
    }

    private Bytes execute(BftClientSettings settings, Bytes operation, boolean read, PrintWriter err) {
        BftClient client = BftClient.create(settings);
        boolean answered = false;
        try {
            byte[] operationBytes = operation.toByteArray();
            Bytes result;
            if (read) {
                ReadResult answer = await(client.read(operationBytes).toCompletableFuture());
                answer.fallbackReason().ifPresent(reason -> {
                    err.println("concordat: note: the read fell back to an ordered request: " + reason);
                    err.flush();
                });
                result = answer.result();
            } else {
                result = Bytes.wrap(await(client.submit(operationBytes).toCompletableFuture()));
            }
            answered = true;
            return result;
        } finally {
            if (answered) {
                client.close();
            } else {
                closeInBackground(client);
            }
        }
    }

    /**
     * Closing a client with a request still outstanding can wait for its retransmission timer; the command
     * has already failed and should say so now.
     */
    private static void closeInBackground(BftClient client) {
        Thread closer = new Thread(client::close, "concordat-client-close");
        closer.setDaemon(true);
        closer.start();
    }

    private <T> T await(CompletableFuture<T> outcome) {
        try {
            return outcome.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for the cluster");
        } catch (TimeoutException timedOut) {
            throw new CliException("no agreed result from the cluster within " + timeoutSeconds + " s; is it running?"
                    + " (concordat status --cluster " + clusterFile + ")");
        } catch (ExecutionException | CompletionException failed) {
            Throwable cause = failed.getCause() == null ? failed : failed.getCause();
            if (cause instanceof BftClientException clientFailure) {
                throw new CliException("the request failed (" + clientFailure.kind() + "): " + clientFailure.getMessage());
            }
            throw new CliException("the request failed: " + cause);
        }
    }
}
