package io.concordat.cli;

import io.concordat.config.ClusterDefinition;
import io.concordat.config.ClusterDefinitionException;
import io.concordat.config.ClusterDefinitionLoader;
import io.concordat.config.KeyFileException;
import io.concordat.config.KeyFingerprint;
import io.concordat.config.KeyStoreDirectory;
import io.concordat.config.SignedClusterDefinition;
import io.concordat.config.SignedClusterDefinitionFiles;
import io.concordat.crypto.Ed25519KeyPair;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code concordat sign}: validates a cluster definition and signs it with the administrator's private key,
 * writing {@code FILE.sig}. The definition file is rewritten with every value written out (defaults
 * included), which is exactly what the signature covers.
 */
@Command(name = "sign", mixinStandardHelpOptions = true,
        description = {"Validates a cluster definition and signs it with the administrator key (writes FILE.sig).",
                "FILE is rewritten with every value spelled out, defaults included: what is signed."})
final class SignCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "The cluster definition.")
    Path config;

    @Option(names = "--admin-key", required = true, paramLabel = "FILE",
            description = "The administrator's private key (administrator.key).")
    Path administratorKey;

    @Override
    public Integer call() {
        ClusterDefinition definition;
        try {
            definition = ClusterDefinitionLoader.load(config);
        } catch (ClusterDefinitionException e) {
            throw new CliException("not signing " + config + ": " + e.getMessage());
        }
        Ed25519KeyPair administrator;
        try {
            administrator = KeyStoreDirectory.readPrivateKeyFile(administratorKey);
        } catch (KeyFileException e) {
            throw new CliException(e.getMessage());
        }
        try {
            SignedClusterDefinitionFiles.write(config, SignedClusterDefinition.sign(definition, administrator.signer()));
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("signed " + config + " (" + definition.name() + ", " + definition.size() + " replicas, f = "
                + definition.faultsTolerated() + ") with administrator key "
                + KeyFingerprint.of(administrator.publicKey()));
        out.println("wrote " + SignedClusterDefinitionFiles.signatureFileOf(config));
        out.flush();
        return ExitCodes.OK;
    }
}
