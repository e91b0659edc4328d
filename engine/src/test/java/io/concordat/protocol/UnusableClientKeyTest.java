package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client id that shares no secret with a replica (here the neutral element, y = 1) could check no reply,
 * so the replica refuses its requests with a reason instead of ordering what it could never answer.
 * Bouncy Castle's Ed25519 already refuses signatures under such keys; this replica is given a verifier
 * that accepts every signature so that the replica's own guard is what is tested.
 */
class UnusableClientKeyTest {
    private static final SignatureVerifier ACCEPTS_EVERYTHING = (key, message, signature) -> true;

    @Test
    void aRequestFromAClientIdOfSmallOrderIsDroppedAsMalformedAndNotQueued() {
        ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
        List<PublicKey> keys = new ArrayList<>();
        List<Ed25519KeyPair> pairs = new ArrayList<>();
        for (int replica = 0; replica < 4; replica++) {
            pairs.add(ScenarioCluster.keyFromSeed(replica + 1));
            keys.add(pairs.get(replica).publicKey());
        }
        PbftReplica backup = new PbftReplica(1, new Membership(1, keys), ProtocolConfiguration.defaults(),
                pairs.get(1).signer(), ACCEPTS_EVERYTHING, codec);
        byte[] identity = new byte[32];
        identity[0] = 1;
        ClientRequest body = new ClientRequest(new PublicKey(Bytes.wrap(identity)), 1, Bytes.ofUtf8("op"), false);
        Signed<ClientRequest> request = new Signed<>(body, codec.encode(body), Bytes.wrap(new byte[64]));

        Ready ready = backup.step(new Input.Receive(new Envelope.MessageEnvelope(request)));

        assertEquals(1, ready.dropped().size(), ready.dropped().toString());
        assertEquals(DropReason.MALFORMED, ready.dropped().get(0).reason());
        assertTrue(ready.dropped().get(0).detail().contains("shares no secret"), ready.dropped().get(0).detail());
        assertEquals(0, backup.status().pendingRequests());
    }
}
