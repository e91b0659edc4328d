package io.concordat.wire;

import static io.concordat.wire.WireFixtures.CODEC;
import static io.concordat.wire.WireFixtures.REPLICA;
import static io.concordat.wire.WireFixtures.CLIENT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.proto.Body;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProtobufCodecRoundTripTest {

    static Stream<Signable> everyBodyType() {
        return WireFixtures.everyBodyType().stream();
    }

    static Stream<Signable> everyBodyTypeButPrePrepare() {
        return everyBodyType().filter(body -> !(body instanceof PrePrepare));
    }

    @ParameterizedTest
    @MethodSource("everyBodyTypeButPrePrepare")
    void messageEnvelopeRoundTrips(Signable body) {
        Signed<Signable> signed = signerFor(body).sign(body);
        Envelope envelope = new Envelope.MessageEnvelope(signed);

        Bytes encoded = CODEC.encodeEnvelope(envelope);
        Envelope decoded = decoded(CODEC.decodeEnvelope(encoded));

        assertEquals(envelope, decoded);
        Signed<?> decodedMessage = ((Envelope.MessageEnvelope) decoded).message();
        assertEquals(body, decodedMessage.body());
        assertEquals(decodedMessage.encoded(), CODEC.encode(decodedMessage.body()));
        assertEquals(encoded, CODEC.encodeEnvelope(decoded));
    }

    @ParameterizedTest
    @MethodSource("everyBodyType")
    void signedMessageRoundTripsForEveryBodyType(Signable body) {
        Signed<Signable> signed = signerFor(body).sign(body);

        var result = CODEC.decodeSigned(CODEC.encodeSigned(signed));

        var decoded = assertInstanceOf(SignedDecodeResult.Decoded.class, result, result::toString);
        assertEquals(signed, decoded.message());
        assertEquals(signed.encoded(), CODEC.encode(decoded.message().body()));
    }

    @ParameterizedTest
    @MethodSource("everyBodyType")
    void encodingIsOneBodyOfTheMatchingKind(Signable body) throws Exception {
        Body parsed = Body.parseFrom(CODEC.encode(body).toByteArray());
        String expected = body.getClass().getSimpleName().replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase();
        assertEquals(expected, parsed.getKindCase().name());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3, 50})
    void prePrepareEnvelopeRoundTrips(int requests) {
        Envelope.PrePrepareEnvelope envelope = WireFixtures.prePrepareEnvelope(requests);

        Bytes encoded = CODEC.encodeEnvelope(envelope);
        var decoded = (Envelope.PrePrepareEnvelope) decoded(CODEC.decodeEnvelope(encoded));

        assertEquals(envelope, decoded);
        assertEquals(requests == 0, decoded.batch().isNull());
        assertEquals(decoded.prePrepare().body().batchDigest(), decoded.batch().digest());
        assertEquals(decoded.prePrepare().encoded(), CODEC.encode(decoded.prePrepare().body()));
        for (Signed<ClientRequest> request : decoded.batch().requests()) {
            assertEquals(request.encoded(), CODEC.encode(request.body()));
        }
        assertEquals(encoded, CODEC.encodeEnvelope(decoded));
    }

    @Test
    void decodedSignaturesStillVerify() {
        var envelope = WireFixtures.prePrepareEnvelope(3);
        var decoded = (Envelope.PrePrepareEnvelope) decoded(CODEC.decodeEnvelope(CODEC.encodeEnvelope(envelope)));
        Ed25519Verifier verifier = new Ed25519Verifier();

        Signed<PrePrepare> prePrepare = decoded.prePrepare();
        assertTrue(verifier.verify(WireFixtures.REPLICA_KEYS.publicKey(), prePrepare.encoded(), prePrepare.signature()));
        for (Signed<ClientRequest> request : decoded.batch().requests()) {
            assertTrue(verifier.verify(request.body().clientId(), request.encoded(), request.signature()));
        }
    }

    @Test
    void operationOfExactlyTheLimitIsAccepted() {
        var limits = new WireLimits(1 << 20, 1000, 10);
        var codec = new ProtobufCodec(limits);
        Signed<ClientRequest> request = WireFixtures.clientRequest(1, 1000);

        Envelope decoded = decoded(codec.decodeEnvelope(codec.encodeEnvelope(new Envelope.MessageEnvelope(request))));

        assertEquals(request, ((Envelope.MessageEnvelope) decoded).message());
    }

    @Test
    void batchOfExactlyTheLimitIsAccepted() {
        var codec = new ProtobufCodec(new WireLimits(1 << 20, 1000, 5));
        var envelope = WireFixtures.prePrepareEnvelope(5);
        assertEquals(envelope, decoded(codec.decodeEnvelope(codec.encodeEnvelope(envelope))));
    }

    @Test
    void envelopeOfExactlyTheLimitIsAccepted() {
        Bytes encoded = CODEC.encodeEnvelope(WireFixtures.prepareEnvelope());
        var codec = new ProtobufCodec(new WireLimits(encoded.size(), 0, 1));
        assertInstanceOf(DecodeResult.Decoded.class, codec.decodeEnvelope(encoded));
    }

    /** Decoded values own their bytes: changing the input array afterwards must not change them. */
    @Test
    void decodedValuesDoNotShareTheInputArray() {
        var envelope = WireFixtures.prePrepareEnvelope(2);
        byte[] input = CODEC.encodeEnvelope(envelope).toByteArray();
        Envelope decoded = decoded(CODEC.decodeEnvelope(Bytes.wrap(input)));

        java.util.Arrays.fill(input, (byte) 0);

        assertEquals(envelope, decoded);
    }

    @Test
    void differentBodiesHaveDifferentEncodings() {
        assertNotEquals(CODEC.encode(new Prepare(1, 2, WireFixtures.DIGEST, 3)),
                CODEC.encode(new io.concordat.protocol.message.Commit(1, 2, WireFixtures.DIGEST, 3)));
    }

    /**
     * Pins the wire format: the bytes clients in other languages sign. A change here is a protocol change
     * and needs a new protocol version.
     */
    @Test
    void prepareBodyEncodingIsStable() {
        Bytes encoded = CODEC.encode(new Prepare(5, 40, WireFixtures.DIGEST, 2));
        String expected = "1a28" + "0805" + "1028" + "1a20" + WireFixtures.DIGEST.value().toHex() + "2002";
        assertEquals(expected, encoded.toHex());
    }

    @Test
    void clientRequestBodyEncodingIsStable() {
        var request = new ClientRequest(WireFixtures.CLIENT_ID, 300, Bytes.ofUtf8("op"), true);
        String expected = "0a2b" + "0a20" + WireFixtures.CLIENT_ID.encoded().toHex() + "10ac02" + "1a026f70" + "2001";
        assertEquals(expected, CODEC.encode(request).toHex());
    }

    @Test
    void envelopeCarriesTheSignedBytesUnchanged() throws Exception {
        Signed<Prepare> signed = REPLICA.sign(new Prepare(1, 1, WireFixtures.DIGEST, 1));
        byte[] envelope = CODEC.encodeEnvelope(new Envelope.MessageEnvelope(signed)).toByteArray();

        var parsed = io.concordat.wire.proto.Envelope.parseFrom(envelope);

        assertEquals(ProtobufCodec.PROTOCOL_VERSION, parsed.getProtocolVersion());
        assertArrayEquals(signed.encoded().toByteArray(), parsed.getMessage().getBody().toByteArray());
        assertArrayEquals(signed.signature().toByteArray(), parsed.getMessage().getSignature().toByteArray());
    }

    @Test
    void nullBatchIsTheNullRequest() {
        Signed<PrePrepare> prePrepare = REPLICA.sign(new PrePrepare(2, 9, Batch.NULL.digest(), 2));
        var envelope = new Envelope.PrePrepareEnvelope(prePrepare, Batch.NULL);
        var decoded = (Envelope.PrePrepareEnvelope) decoded(CODEC.decodeEnvelope(CODEC.encodeEnvelope(envelope)));
        assertTrue(decoded.batch().isNull());
    }

    private static io.concordat.protocol.MessageSigner signerFor(Signable body) {
        return body instanceof ClientRequest ? CLIENT : REPLICA;
    }

    static Envelope decoded(DecodeResult result) {
        var decoded = assertInstanceOf(DecodeResult.Decoded.class, result, result::toString);
        return decoded.envelope();
    }
}
