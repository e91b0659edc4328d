package io.concordat.cli;

import io.concordat.config.ClusterDefinition;
import io.concordat.config.ClusterDefinitionException;
import io.concordat.config.KeyFileException;
import io.concordat.config.KeyStoreDirectory;
import io.concordat.config.SignedClusterDefinitionFiles;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code concordat cluster-json}: writes the {@code cluster.json} that the client-side commands read, from a
 * signed definition that verifies under the administrator key. {@code up} does this itself; this is for
 * clusters deployed on several hosts.
 */
@Command(name = "cluster-json", mixinStandardHelpOptions = true,
        description = {"Writes a cluster.json for the client, status and bench commands from a signed definition.",
                "The definition must verify under the administrator's public key."})
final class ClusterJsonCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The signed cluster definition.")
    Path config;

    @Option(names = "--admin-key", required = true, paramLabel = "FILE",
            description = "The administrator's public key (administrator.pub).")
    Path administratorKey;

    @Option(names = "--client-key", required = true, paramLabel = "FILE",
            description = "The client's private key file, as written into cluster.json (relative paths are relative"
                    + " to the output's directory); generated on first use if it does not exist.")
    String clientKey;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "Where to write cluster.json.")
    Path output;

    @Override
    public Integer call() {
        PublicKey trusted;
        try {
            trusted = KeyStoreDirectory.readPublicKeyFile(administratorKey);
        } catch (KeyFileException e) {
            throw new CliException(e.getMessage());
        }
        ClusterDefinition definition;
        try {
            definition = SignedClusterDefinitionFiles.readVerified(config, List.of(trusted), new Ed25519Verifier());
        } catch (ClusterDefinitionException e) {
            throw new CliException("not using " + config + ": " + e.getMessage());
        }
        ClusterFile.of(definition, clientKey).write(output);
        PrintWriter out = spec.commandLine().getOut();
        out.println("wrote " + output + " for cluster " + definition.name() + " (" + definition.size()
                + " replicas, f = " + definition.faultsTolerated() + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
