package io.concordat.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import io.concordat.wire.proto.SignedMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** VIEW-CHANGE and NEW-VIEW on the wire: nested signed messages keep their bytes and are type-checked. */
class ViewChangeWireTest {
    private static final ProtobufCodec CODEC = WireFixtures.CODEC;

    private static Signed<ViewChange> viewChange() {
        Signed<Checkpoint> checkpoint = WireFixtures.REPLICA.sign(new Checkpoint(128, WireFixtures.DIGEST, 0));
        Signed<PrePrepare> prePrepare = WireFixtures.REPLICA.sign(new PrePrepare(0, 129, WireFixtures.DIGEST, 0));
        Signed<Prepare> prepare = WireFixtures.REPLICA.sign(new Prepare(0, 129, WireFixtures.DIGEST, 1));
        return WireFixtures.REPLICA.sign(new ViewChange(1, 128, WireFixtures.DIGEST, List.of(checkpoint, checkpoint),
                List.of(new PreparedCertificate(prePrepare, List.of(prepare, prepare))), 2));
    }

    private static Signed<NewView> newView() {
        Signed<PrePrepare> prePrepare = WireFixtures.REPLICA.sign(new PrePrepare(1, 129, WireFixtures.DIGEST, 1));
        return WireFixtures.REPLICA.sign(new NewView(1, List.of(viewChange(), viewChange()), List.of(prePrepare), 1));
    }

    @Test
    void aViewChangeAndANewViewSurviveTheRoundTripWithVerifiableEmbeddedSignatures() {
        for (Signed<?> message : List.of(viewChange(), newView())) {
            Bytes encoded = CODEC.encodeEnvelope(new Envelope.MessageEnvelope(message));
            DecodeResult result = CODEC.decodeEnvelope(encoded);
            var decoded = assertInstanceOf(DecodeResult.Decoded.class, result);
            Signed<?> back = ((Envelope.MessageEnvelope) decoded.envelope()).message();
            assertEquals(message, back);
        }
        NewView decoded = newView().body();
        Signed<ViewChange> embedded = decoded.viewChanges().get(0);
        assertTrue(new Ed25519Verifier().verify(WireFixtures.REPLICA_KEYS.publicKey(), embedded.encoded(),
                embedded.signature()));
    }

    @Test
    void aViewChangeWhoseCheckpointProofHoldsAnotherMessageTypeIsRejected() {
        Signed<Prepare> notACheckpoint = WireFixtures.REPLICA.sign(new Prepare(0, 1, WireFixtures.DIGEST, 1));
        var proto = io.concordat.wire.proto.ViewChange.newBuilder().setNewView(1).setStableSequence(128)
                .setStableDigest(BodyEncoding.byteString(WireFixtures.DIGEST.value())).setReplicaId(2)
                .addCheckpointProof(BodyEncoding.signedMessage(notACheckpoint)).build();
        var body = io.concordat.wire.proto.Body.newBuilder().setViewChange(proto).build();
        var envelope = io.concordat.wire.proto.Envelope.newBuilder().setProtocolVersion(ProtobufCodec.PROTOCOL_VERSION)
                .setMessage(SignedMessage.newBuilder().setBody(body.toByteString())
                        .setSignature(BodyEncoding.byteString(WireFixtures.signature())))
                .build();
        DecodeResult result = CODEC.decodeEnvelope(Bytes.wrap(envelope.toByteArray()));
        var rejected = assertInstanceOf(DecodeResult.Rejected.class, result);
        assertEquals(DecodeError.UNEXPECTED_TYPE, rejected.error());
        assertTrue(rejected.detail().contains("checkpoint_proof"), rejected.detail());
    }

    @Test
    void everyPrefixOfANewViewIsRejectedCleanly() {
        byte[] encoded = CODEC.encodeEnvelope(new Envelope.MessageEnvelope(newView())).toByteArray();
        for (int length = 0; length < encoded.length; length++) {
            DecodeResult result = CODEC.decodeEnvelope(Bytes.copyOf(encoded, 0, length));
            assertInstanceOf(DecodeResult.Rejected.class, result, "prefix of " + length + " bytes");
        }
    }
}
