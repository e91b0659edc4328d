package io.concordat.cli;

import java.io.PrintWriter;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code concordat} command line (docs/operations.md): {@code up}, {@code node}, {@code client},
 * {@code status}, {@code bench}, {@code keygen}, {@code sign} and {@code cluster-json}.
 *
 * <p>Failures end with one line on stderr that starts with {@code concordat:} and an exit code from
 * {@link ExitCodes}; only an unexpected failure prints a stack trace.
 */
@Command(name = "concordat", mixinStandardHelpOptions = true, versionProvider = ConcordatCli.Version.class,
        description = "Runs and uses Concordat BFT (PBFT) clusters.",
        subcommands = {UpCommand.class, NodeCommand.class, ClientCommand.class, StatusCommand.class,
                BenchCommand.class, FailoverCommand.class, KeygenCommand.class, SignCommand.class,
                ClusterJsonCommand.class,
                CommandLine.HelpCommand.class})
public final class ConcordatCli implements Runnable {
    /** The data directory {@code up} uses when none is given; {@code data/cluster.json} is then its cluster file. */
    public static final String DEFAULT_DATA_DIRECTORY = "data";
    public static final String DEFAULT_CLUSTER_FILE = DEFAULT_DATA_DIRECTORY + "/" + ClusterFile.FILE_NAME;

    static final String NODE_LOGGING = "io/concordat/launcher/logback-node.xml";
    static final String CLI_LOGGING = "io/concordat/cli/logback-cli.xml";
    static final String REPLICA_LOG_PROPERTY = "concordat.log.replica";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: give one of "
                + String.join(", ", spec.subcommands().keySet()));
    }

    public static void main(String[] args) {
        giveTheCommonPoolTwoThreads();
        configureLogging(args);
        System.exit(commandLine().execute(args));
    }

    /**
     * On a machine with two cores {@code ForkJoinPool.commonPool()} has one thread, and {@code CompletableFuture}
     * then runs every continuation that names no executor on a new thread of its own. The JDK's HTTP client,
     * which the client and the benchmark use, does so for each exchange; on this project's 2-core benchmark
     * machine that cost a third of the throughput of a local cluster (docs/benchmarks.md, "Where the time
     * goes"). A pool of two threads keeps them on it. It must be set before anything uses the pool, so first
     * thing in main, and an explicit {@code -D} setting stands.
     */
    static void giveTheCommonPoolTwoThreads() {
        String parallelism = "java.util.concurrent.ForkJoinPool.common.parallelism";
        if (System.getProperty(parallelism) == null && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty(parallelism, "2");
        }
    }

    /** The command line with Concordat's error handling; tests call {@code execute} on it. */
    public static CommandLine commandLine() {
        var commandLine = new CommandLine(new ConcordatCli());
        commandLine.setExecutionExceptionHandler(ConcordatCli::onFailure);
        commandLine.setUsageHelpAutoWidth(true);
        return commandLine;
    }

    private static int onFailure(Exception failure, CommandLine command, CommandLine.ParseResult parsed) {
        PrintWriter err = command.getErr();
        if (failure instanceof CliException cli) {
            err.println("concordat: " + cli.getMessage());
            err.flush();
            return cli.exitCode();
        }
        err.println("concordat: unexpected failure in '" + command.getCommandName() + "': " + failure);
        failure.printStackTrace(err);
        err.flush();
        return ExitCodes.FAILURE;
    }

    /**
     * Chooses the Logback configuration before anything logs: a node logs INFO to stdout with its replica id
     * in every line; every other command logs warnings only, to stderr, so that its output stays readable.
     * {@code -Dlogback.configurationFile=...} still wins.
     */
    static void configureLogging(String[] args) {
        if (System.getProperty("logback.configurationFile") != null) {
            return;
        }
        boolean node = args.length > 0 && args[0].equals("node");
        System.setProperty("logback.configurationFile", node ? NODE_LOGGING : CLI_LOGGING);
        if (node) {
            System.setProperty(REPLICA_LOG_PROPERTY, optionValue(args, "--replica").orElse("?"));
        }
    }

    static Optional<String> optionValue(String[] args, String option) {
        for (int index = 0; index < args.length; index++) {
            if (args[index].equals(option) && index + 1 < args.length) {
                return Optional.of(args[index + 1]);
            }
            if (args[index].startsWith(option + "=")) {
                return Optional.of(args[index].substring(option.length() + 1));
            }
        }
        return Optional.empty();
    }

    /** The version from the jar's manifest, when run from the packaged jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ConcordatCli.class.getPackage().getImplementationVersion();
            return new String[] {"concordat " + (version == null ? "(development build)" : version)};
        }
    }
}
