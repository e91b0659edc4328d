package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PairwiseKey;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.crypto.PublicKey;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated PBFT client (§4.1): f+1 matching, validly signed replies and nothing less. */
class SimulatedClientTest {
    private static final int RETRANSMIT_TICKS = 10;

    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final Ed25519Verifier verifier = new Ed25519Verifier();
    private final List<MessageSigner> replicaSigners = new ArrayList<>();
    private final List<Bytes> sent = new ArrayList<>();
    private SimulatedClient client;
    private long eventOrder;

    @BeforeEach
    void setUp() {
        List<PublicKey> keys = new ArrayList<>();
        for (int replica = 0; replica < 4; replica++) {
            Ed25519KeyPair pair = Ed25519KeyPair.fromSeed(seed(replica + 1));
            replicaSigners.add(new MessageSigner(pair.signer(), codec));
            keys.add(pair.publicKey());
        }
        MessageSigner clientSigner = new MessageSigner(Ed25519KeyPair.fromSeed(seed(99)).signer(), codec);
        client = new SimulatedClient(0, clientSigner, new Membership(1, keys), codec,
                new OperationGenerator(0, 2, new SplittableRandom(1)), new SplittableRandom(2),
                new SimulatedClient.ClientSettings(2, RETRANSMIT_TICKS, 0), () -> eventOrder++,
                new Trace(Optional.empty()));
    }

    @Test
    void sendsOneSignedRequestToEveryReplica() {
        client.tick(0, this::capture);
        assertEquals(4, sent.size());
        Signed<ClientRequest> request = decodeRequest(sent.get(0));
        assertEquals(1, request.body().requestNumber());
        assertFalse(request.body().readOnly());
        assertTrue(verifier.verify(client.clientId(), request.encoded(), request.signature()));
        for (Bytes payload : sent) {
            assertEquals(sent.get(0), payload, "the same request goes to every replica");
        }
    }

    @Test
    void acceptsOnlyOnceFPlusOneReplicasSentMatchingValidReplies() {
        client.tick(0, this::capture);
        Bytes result = Bytes.ofUtf8("result");
        client.receive(reply(0, 0, 1, result), 1);
        client.receive(reply(1, 1, 1, Bytes.ofUtf8("other")), 1);
        client.receive(reply(1, 2, 1, result), 1);
        client.receive(garbageSigned(reply(3, 3, 1, result)), 1);
        client.receive(new Envelope.MessageEnvelope(replicaSigners.get(3).sign(
                new Reply(0, client.clientId(), 1, result, false, 3))), 1);
        client.receive(reply(2, 2, 2, result), 1);
        assertFalse(client.operations().get(0).isCompleted(), "one valid matching reply, a forgery, garbage, a signature in place of the MAC and a wrong number");
        assertEquals(3, client.repliesRejected());

        client.receive(reply(3, 3, 1, result), 2);
        ClientOperation operation = client.operations().get(0);
        assertEquals(Optional.of(result), operation.acceptedResult());
        assertEquals(2, operation.completionTick().getAsLong());
    }

    @Test
    void retransmitsToEveryReplicaAfterTheTimeoutAndThenMovesOn() {
        client.tick(0, this::capture);
        client.tick(RETRANSMIT_TICKS - 1, this::capture);
        assertEquals(4, sent.size());
        client.tick(RETRANSMIT_TICKS, this::capture);
        assertEquals(8, sent.size());
        assertEquals(sent.get(0), sent.get(7), "a retransmission is the same signed request");
        assertEquals(1, client.retransmissions());

        client.receive(reply(0, 0, 1, Bytes.EMPTY), 11);
        client.receive(reply(1, 1, 1, Bytes.EMPTY), 11);
        client.tick(12, this::capture);
        assertEquals(12, sent.size());
        assertEquals(2, decodeRequest(sent.get(11)).body().requestNumber());
    }

    private void capture(int replicaId, Bytes payload) {
        sent.add(payload);
    }

    /** A reply claiming {@code claimedReplica}, authenticated with the key {@code signingReplica} shares with the client. */
    private Envelope reply(int signingReplica, int claimedReplica, long requestNumber, Bytes result) {
        Reply body = new Reply(0, client.clientId(), requestNumber, result, false, claimedReplica);
        MessageSigner replica = replicaSigners.get(signingReplica);
        PairwiseKey shared = PairwiseKeys.ofReplica(replica.signer()).with(client.clientId()).orElseThrow();
        return new Envelope.MessageEnvelope(replica.authenticate(body, shared));
    }

    private static Envelope garbageSigned(Envelope envelope) {
        return MessageForgery.withSignature(envelope, Bytes.wrap(new byte[64]));
    }

    @SuppressWarnings("unchecked")
    private Signed<ClientRequest> decodeRequest(Bytes payload) {
        DecodeResult decoded = codec.decodeEnvelope(payload);
        Envelope envelope = ((DecodeResult.Decoded) decoded).envelope();
        return (Signed<ClientRequest>) ((Envelope.MessageEnvelope) envelope).message();
    }

    private static Bytes seed(int value) {
        byte[] seed = new byte[32];
        seed[0] = (byte) value;
        return Bytes.wrap(seed);
    }
}
