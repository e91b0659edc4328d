package io.concordat.config;

import io.concordat.crypto.PublicKey;
import java.util.List;
import java.util.Objects;

/**
 * One replica of the cluster: where it listens and the Ed25519 key its messages are signed with.
 *
 * @param id the replica number, 0..n-1; the primary of view v is replica v mod n (PBFT §4.1)
 * @param host the host name or IP address the replica's node binds and is reached on
 * @param arteryPort the Pekko Artery port replica-to-replica messages travel on
 * @param clientPort the client endpoint's port
 * @param adminPort the admin endpoint's port (status, metrics)
 * @param publicKey the replica's Ed25519 public key; the node holding the matching private key hosts it
 */
public record ReplicaDefinition(int id, String host, int arteryPort, int clientPort, int adminPort,
        PublicKey publicKey) {

    public ReplicaDefinition {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(publicKey, "publicKey");
        List<Problem> problems = DefinitionRules.checkReplica(ReplicaDraft.of(id, host, arteryPort, clientPort,
                adminPort, publicKey));
        if (!problems.isEmpty()) {
            throw new ClusterDefinitionException(problems);
        }
    }
}
