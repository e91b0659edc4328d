package io.concordat.cli;

import io.concordat.config.LocalCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that runs one replica of a local cluster in a JVM of its own ({@code concordat node}),
 * with this JVM's Java and class path: what {@code concordat up} starts for every replica, and what
 * process-level tests start, kill with SIGKILL and start again on the same data directory.
 */
public final class NodeCommandLine {
    private NodeCommandLine() {}

    /**
     * @param javaOptions JVM options placed before the class path (for example {@code -Xmx512m} or
     *     {@code -Dconfig.file=...})
     * @param journal {@code h2}, {@code postgresql} or {@code in-memory}, for {@code node --journal}
     * @param parentPid the node stops when this process ends
     */
    public static List<String> of(LocalCluster cluster, int replicaId, List<String> javaOptions, String journal,
            long parentPid) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+ExitOnOutOfMemoryError");
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ConcordatCli.class.getName());
        command.add("node");
        command.add("--config");
        command.add(cluster.definitionFile().toString());
        command.add("--replica");
        command.add(String.valueOf(replicaId));
        command.add("--data-dir");
        command.add(cluster.dataDirectory().toString());
        command.add("--journal");
        command.add(journal);
        command.add("--parent-pid");
        command.add(String.valueOf(parentPid));
        return command;
    }
}
