package io.concordat.config;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.KeyEncoding;
import io.concordat.crypto.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/** Deterministic keys and definitions for the tests. */
final class TestDefinitions {
    private TestDefinitions() {}

    /** The key pair seeded by {@code seed}; distinct seeds give distinct keys. */
    static Ed25519KeyPair keyPair(int seed) {
        byte[] bytes = new byte[Ed25519KeyPair.SEED_SIZE_BYTES];
        new SplittableRandom(seed).nextBytes(bytes);
        return Ed25519KeyPair.fromSeed(Bytes.wrap(bytes));
    }

    static PublicKey replicaKey(int id) {
        return keyPair(1000 + id).publicKey();
    }

    static PublicKey clientKey(int index) {
        return keyPair(2000 + index).publicKey();
    }

    static String keyText(PublicKey key) {
        return KeyEncoding.encodePublicKey(key);
    }

    /**
     * A valid 4-replica definition written by hand (not by the renderer under test). Replica I listens on
     * 2552I, 2562I and 2572I and has key replicaKey(I); the protocol block sets two values and leaves the
     * rest to the defaults.
     */
    static String validText() {
        StringBuilder text = new StringBuilder()
                .append("# a comment\n")
                .append("concordat.cluster {\n")
                .append("  name = \"test-cluster\"\n")
                .append("  faults-tolerated = 1\n")
                .append("  replicas = [\n");
        for (int id = 0; id < 4; id++) {
            text.append("    { id = ").append(id)
                    .append(", host = \"127.0.0.1\", artery-port = ").append(25520 + id)
                    .append(", client-port = ").append(25620 + id)
                    .append(", admin-port = ").append(25720 + id)
                    .append(", public-key = \"").append(keyText(replicaKey(id))).append("\" }\n");
        }
        return text.append("  ]\n")
                .append("  protocol {\n")
                .append("    checkpoint-interval = 100\n")
                .append("    watermark-window = 200\n")
                .append("  }\n")
                .append("}\n")
                .toString();
    }

    /** A valid definition of {@code replicas} = 3f+1 replicas on 127.0.0.1, built in code. */
    static ClusterDefinition definition(int replicas) {
        List<ReplicaDefinition> definitions = new ArrayList<>();
        for (int id = 0; id < replicas; id++) {
            definitions.add(new ReplicaDefinition(id, "127.0.0.1", 25520 + id, 25620 + id, 25720 + id,
                    replicaKey(id)));
        }
        return new ClusterDefinition("test-" + replicas, (replicas - 1) / 3, definitions, protocol(),
                Set.of(clientKey(0), clientKey(1)));
    }

    static ProtocolSettings protocol() {
        return new ProtocolSettings(64, 256, 100, 1 << 20, Duration.ofMillis(5), 64 * 1024, 5000,
                Duration.ofMillis(10), Duration.ofSeconds(3), Duration.ofMillis(250));
    }
}
