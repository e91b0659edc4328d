package io.concordat.cli;

import io.concordat.config.KeyFileException;
import io.concordat.config.KeyName;
import io.concordat.config.KeyStoreDirectory;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.KeyEncoding;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code concordat keygen}: one Ed25519 key pair as {@code DIR/NAME.key} (owner-only) and {@code DIR/NAME.pub}. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = {"Generates an Ed25519 key pair: DIR/NAME.key (readable by its owner only) and DIR/NAME.pub.",
                "Prints the public key line to paste into a cluster definition."})
final class KeygenCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--dir", required = true, paramLabel = "DIR", description = "The key directory.")
    Path directory;

    @Option(names = "--name", required = true, paramLabel = "NAME",
            description = "administrator, replica-<id> or client-<name>.")
    String name;

    @Option(names = "--force", description = "Replace an existing key pair (its old key is lost).")
    boolean force;

    @Override
    public Integer call() {
        KeyName keyName;
        try {
            keyName = new KeyName(name);
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
        var keys = new KeyStoreDirectory(directory);
        Ed25519KeyPair pair;
        try {
            pair = keys.generate(keyName, new SecureRandom(),
                    force ? KeyStoreDirectory.Overwrite.REPLACE : KeyStoreDirectory.Overwrite.REFUSE);
        } catch (KeyFileException e) {
            throw new CliException(e.getMessage() + (force ? "" : " (--force replaces it)"));
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("private key: " + keys.privateKeyFile(keyName) + " (keep it on this host; never copy it)");
        out.println("public key:  " + keys.publicKeyFile(keyName));
        out.println(KeyEncoding.encodePublicKey(pair.publicKey()));
        out.flush();
        return ExitCodes.OK;
    }
}
