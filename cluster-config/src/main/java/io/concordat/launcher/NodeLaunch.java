package io.concordat.launcher;

import com.typesafe.config.Config;
import io.concordat.app.StateMachine;
import io.concordat.config.ClusterDefinition;
import io.concordat.crypto.Ed25519KeyPair;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What {@link NodeLauncher} needs to start one replica.
 *
 * @param definition the cluster definition, already verified against a trusted administrator key
 * @param replicaId which replica of the definition this node runs
 * @param keyPair the replica's key pair; its public key must be the definition's key for {@code replicaId}
 * @param stateMachineFactory the application, made once (the reference key-value store by default)
 * @param config the application's Pekko and {@code concordat.replica} settings without the reference
 *     defaults, normally {@code ConfigFactory.defaultApplication()}; they override the launcher's defaults
 *     ({@code io/concordat/launcher/node.conf}), but not the settings the engine enforces (addresses, seed
 *     nodes, no downing)
 * @param listenHost the interface the client and admin endpoints bind; empty means the replica's host from
 *     the definition
 */
public record NodeLaunch(ClusterDefinition definition, int replicaId, Ed25519KeyPair keyPair,
        Supplier<? extends StateMachine> stateMachineFactory, Config config, Optional<String> listenHost) {
    public NodeLaunch {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(keyPair, "keyPair");
        Objects.requireNonNull(stateMachineFactory, "stateMachineFactory");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listenHost, "listenHost");
    }
}
