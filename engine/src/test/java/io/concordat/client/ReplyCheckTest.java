package io.concordat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import org.junit.jupiter.api.Test;

/** A reply counts as a vote only if it passes every check; each failure is reported as what it is. */
class ReplyCheckTest {
    private static final ProtobufCodec CODEC = new ProtobufCodec(WireLimits.defaults());
    private static final Ed25519KeyPair CLIENT = ClientTestCluster.clientKeyPair("reply-check");
    private static final ReplyCheck.Expectation EXPECTED =
            new ReplyCheck.Expectation(CLIENT.publicKey(), 5, false);

    private final ReplyCheck check = new ReplyCheck(settings(), CODEC, PairwiseKeys.ofClient(CLIENT.signer()));

    private static BftClientSettings settings() {
        var builder = BftClientSettings.builder().faultsTolerated(1).keyPair(CLIENT);
        for (int replicaId = 0; replicaId < 4; replicaId++) {
            builder.replica(replicaId, java.net.URI.create("http://127.0.0.1:1"),
                    InProcessCluster.replicaKeyPair(replicaId).publicKey());
        }
        return builder.build();
    }

    /** The reply as replica {@code signer} sends it: authenticated with the key it shares with the reply's client. */
    private static Bytes reply(int signer, Reply body) {
        return CODEC.encodeEnvelope(new Envelope.MessageEnvelope(authenticated(signer, body)));
    }

    private static Signed<Reply> authenticated(int signer, Reply body) {
        var replicaSigner = InProcessCluster.replicaKeyPair(signer).signer();
        var shared = PairwiseKeys.ofReplica(replicaSigner).with(body.clientId()).orElseThrow();
        return new MessageSigner(replicaSigner, CODEC).authenticate(body, shared);
    }

    private static Reply body(long requestNumber, boolean readOnly, int replicaId) {
        return new Reply(0, CLIENT.publicKey(), requestNumber, Bytes.ofUtf8("result"), readOnly, replicaId);
    }

    @Test
    void aCorrectReplyIsAVoteForItsResult() {
        assertEquals(new ReplicaAnswer.Valid(Bytes.ofUtf8("result")), check.check(2, reply(2, body(5, false, 2)), EXPECTED));
    }

    @Test
    void aReplyAuthenticatedWithAnotherReplicasKeyIsBad() {
        assertInstanceOf(ReplicaAnswer.BadAuthenticator.class, check.check(2, reply(3, body(5, false, 2)), EXPECTED));
    }

    @Test
    void aReplySignedWithTheReplicasEd25519KeyInsteadOfAuthenticatedIsBad() {
        var messageSigner = new MessageSigner(InProcessCluster.replicaKeyPair(2).signer(), CODEC);
        Bytes signed = CODEC.encodeEnvelope(new Envelope.MessageEnvelope(messageSigner.sign(body(5, false, 2))));

        assertInstanceOf(ReplicaAnswer.BadAuthenticator.class, check.check(2, signed, EXPECTED));
    }

    @Test
    void aTamperedAuthenticatorIsBad() {
        Signed<Reply> signed = authenticated(2, body(5, false, 2));
        byte[] signature = signed.signature().toByteArray();
        signature[63] ^= 0x10;
        Bytes tampered = CODEC.encodeEnvelope(new Envelope.MessageEnvelope(
                new Signed<>(signed.body(), signed.encoded(), Bytes.wrap(signature))));

        assertInstanceOf(ReplicaAnswer.BadAuthenticator.class, check.check(2, tampered, EXPECTED));
    }

    @Test
    void repliesForAnotherReplicaRequestClientOrKindAreInvalid() {
        assertEquals(new ReplicaAnswer.InvalidReply("reply names replica 3"),
                check.check(2, reply(3, body(5, false, 3)), EXPECTED));
        assertEquals(new ReplicaAnswer.InvalidReply("reply is for request 4"),
                check.check(2, reply(2, body(4, false, 2)), EXPECTED));
        assertEquals(new ReplicaAnswer.InvalidReply("a read-only reply to an ordered request"),
                check.check(2, reply(2, body(5, true, 2)), EXPECTED));
        var otherClient = new Reply(0, ClientTestCluster.clientKeyPair("someone else").publicKey(), 5,
                Bytes.ofUtf8("result"), false, 2);
        assertEquals(new ReplicaAnswer.InvalidReply("reply is for another client"),
                check.check(2, reply(2, otherClient), EXPECTED));
    }

    @Test
    void undecodableAnswersAndOtherMessagesAreInvalid() {
        assertInstanceOf(ReplicaAnswer.InvalidReply.class, check.check(0, Bytes.ofUtf8("garbage"), EXPECTED));
        var clientSigner = new MessageSigner(CLIENT.signer(), CODEC);
        Bytes request = CODEC.encodeEnvelope(new Envelope.MessageEnvelope(
                clientSigner.sign(new ClientRequest(CLIENT.publicKey(), 5, Bytes.ofUtf8("op"), false))));
        assertEquals(new ReplicaAnswer.InvalidReply("not a Reply envelope"), check.check(0, request, EXPECTED));
    }
}
