package io.concordat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.concordat.crypto.Ed25519KeyPair;
import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Every bad setting fails at build time with a message that names it. */
class BftClientSettingsTest {

    private static BftClientSettings.Builder valid() {
        var builder = BftClientSettings.builder().faultsTolerated(1).keyPair(ClientTestCluster.clientKeyPair("settings"));
        for (int replicaId = 0; replicaId < 4; replicaId++) {
            builder.replica(replicaId, URI.create("http://127.0.0.1:" + (8400 + replicaId)),
                    InProcessCluster.replicaKeyPair(replicaId).publicKey());
        }
        return builder;
    }

    private static void assertRejected(String expectedMessage, UnaryOperator<BftClientSettings.Builder> change) {
        var error = assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build());
        assertEquals(expectedMessage, error.getMessage());
    }

    @Test
    void aValidBuilderGivesTheQuorums() {
        BftClientSettings settings = valid().build();
        assertEquals(4, settings.replicaCount());
        assertEquals(2, settings.orderedQuorum());
        assertEquals(3, settings.readOnlyQuorum());
    }

    @Test
    void eachBadSettingIsNamed() {
        assertRejected("BftClientSettings.faultsTolerated: must be set to at least 1, got 0", b -> b.faultsTolerated(0));
        assertRejected("BftClientSettings.replicas: f = 2 needs exactly n = 3f+1 = 7 replicas, got 4",
                b -> b.faultsTolerated(2));
        assertRejected("BftClientSettings.replicas: replica 3 is listed twice",
                b -> b.replica(3, URI.create("http://127.0.0.1:1"), InProcessCluster.replicaKeyPair(3).publicKey()));
        assertRejected("BftClientSettings.replicas: two replicas share a public key", b -> {
            var fresh = BftClientSettings.builder().faultsTolerated(1).keyPair(ClientTestCluster.clientKeyPair("x"));
            for (int replicaId = 0; replicaId < 4; replicaId++) {
                fresh.replica(replicaId, URI.create("http://127.0.0.1:1"),
                        InProcessCluster.replicaKeyPair(replicaId == 3 ? 0 : replicaId).publicKey());
            }
            return fresh;
        });
        assertRejected("BftClientSettings.maxAttempts: must be at least 1, got 0", b -> b.maxAttempts(0));
        assertRejected("BftClientSettings.readOnlyTimeout: must be > 0, got PT0S", b -> b.readOnlyTimeout(Duration.ZERO));
        assertRejected("BftClientSettings.maxRetransmissionDelay: must not be below initialRetransmissionDelay (PT1S), got PT0.5S",
                b -> b.maxRetransmissionDelay(Duration.ofMillis(500)));
        assertRejected("BftClientSettings.firstRequestNumber: request numbers start at 1, got 0", b -> b.firstRequestNumber(0));
        assertRejected("BftClientSettings.replicas: replica 2's endpoint ftp://127.0.0.1:1 must be an http:// or https:// URI",
                b -> {
                    var fresh = BftClientSettings.builder().faultsTolerated(1).keyPair(Ed25519KeyPair.fromSeed(
                            io.concordat.common.Bytes.wrap(new byte[32])));
                    for (int replicaId = 0; replicaId < 4; replicaId++) {
                        fresh.replica(replicaId, URI.create((replicaId == 2 ? "ftp" : "http") + "://127.0.0.1:1"),
                                InProcessCluster.replicaKeyPair(replicaId).publicKey());
                    }
                    return fresh;
                });
    }

    @Test
    void aMissingReplicaIdAndAMissingKeyPairAreNamed() {
        var builder = BftClientSettings.builder().faultsTolerated(1);
        for (int replicaId : new int[] {0, 1, 2, 5}) {
            builder.replica(replicaId, URI.create("http://127.0.0.1:1"), InProcessCluster.replicaKeyPair(replicaId).publicKey());
        }
        assertEquals("BftClientSettings.replicas: replica ids must be 0..3, missing 3",
                assertThrows(IllegalArgumentException.class, builder::build).getMessage());
        var noKeys = valid().keyPair(null);
        assertEquals("BftClientSettings.keyPair: must be set: the client signs every request with it",
                assertThrows(IllegalArgumentException.class, noKeys::build).getMessage());
    }

    @Test
    void theRetransmissionDelayDoublesUpToTheCap() {
        BftClientSettings settings = valid().initialRetransmissionDelay(Duration.ofMillis(100))
                .maxRetransmissionDelay(Duration.ofMillis(500)).build();
        assertEquals(Duration.ofMillis(100), settings.retransmissionDelay(1));
        assertEquals(Duration.ofMillis(200), settings.retransmissionDelay(2));
        assertEquals(Duration.ofMillis(400), settings.retransmissionDelay(3));
        assertEquals(Duration.ofMillis(500), settings.retransmissionDelay(4));
        assertEquals(Duration.ofMillis(500), settings.retransmissionDelay(60));
    }
}
