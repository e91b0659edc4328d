package io.concordat.wire;

import static io.concordat.wire.WireFixtures.CODEC;
import static io.concordat.wire.WireFixtures.CLIENT_ID;
import static io.concordat.wire.WireFixtures.DIGEST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope.MessageEnvelope;
import io.concordat.wire.proto.Batch;
import io.concordat.wire.proto.Body;
import io.concordat.wire.proto.Checkpoint;
import io.concordat.wire.proto.ClientRequest;
import io.concordat.wire.proto.Commit;
import io.concordat.wire.proto.Envelope;
import io.concordat.wire.proto.PrePrepare;
import io.concordat.wire.proto.PrePrepareBundle;
import io.concordat.wire.proto.Prepare;
import io.concordat.wire.proto.Reply;
import io.concordat.wire.proto.SignedMessage;
import io.concordat.wire.proto.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProtobufCodecRejectionTest {
    private static final ByteString KEY = ByteString.copyFrom(CLIENT_ID.encoded().toByteArray());
    private static final ByteString GOOD_DIGEST = ByteString.copyFrom(DIGEST.value().toByteArray());
    private static final ByteString SIGNATURE = ByteString.copyFrom(new byte[64]);

    // --- size, truncation, garbage framing ---

    @Test
    void oversizedInputIsRejectedBeforeParsing() {
        var codec = new ProtobufCodec(new WireLimits(100, 10, 5));
        byte[] garbage = new byte[101];
        Arrays.fill(garbage, (byte) 0xff);

        String detail = rejected(codec.decodeEnvelope(Bytes.wrap(garbage)), DecodeError.OVERSIZED);

        assertEquals("envelope is 101 bytes, the limit is 100", detail);
    }

    @Test
    void validEnvelopeOneByteOverTheLimitIsRejected() {
        Bytes encoded = CODEC.encodeEnvelope(WireFixtures.prepareEnvelope());
        var codec = new ProtobufCodec(new WireLimits(encoded.size() - 1, 0, 1));
        rejected(codec.decodeEnvelope(encoded), DecodeError.OVERSIZED);

        Bytes signed = CODEC.encodeSigned(WireFixtures.prepareEnvelope().message());
        var signedCodec = new ProtobufCodec(new WireLimits(signed.size() - 1, 0, 1));
        rejected(signedCodec.decodeSigned(signed), DecodeError.OVERSIZED);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void everyStrictPrefixOfAValidEnvelopeIsRejected(int requests) {
        Bytes encoded = requests == 0
                ? CODEC.encodeEnvelope(WireFixtures.prepareEnvelope())
                : CODEC.encodeEnvelope(WireFixtures.prePrepareEnvelope(requests));
        byte[] bytes = encoded.toByteArray();
        for (int length = 0; length < bytes.length; length++) {
            DecodeResult result = CODEC.decodeEnvelope(Bytes.copyOf(bytes, 0, length));
            assertInstanceOf(DecodeResult.Rejected.class, result, "prefix of " + length + " bytes");
        }
    }

    @Test
    void emptyInputHasNoVersion() {
        rejected(CODEC.decodeEnvelope(Bytes.EMPTY), DecodeError.UNSUPPORTED_VERSION);
    }

    @Test
    void cutInsideAFieldIsTruncated() {
        byte[] bytes = CODEC.encodeEnvelope(WireFixtures.prepareEnvelope()).toByteArray();
        rejected(CODEC.decodeEnvelope(Bytes.copyOf(bytes, 0, bytes.length - 1)), DecodeError.TRUNCATED_OR_MALFORMED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0c", "0c0801", "4c"})
    void strayEndGroupTagAfterAValidEnvelopeIsRejected(String trailingHex) {
        byte[] valid = CODEC.encodeEnvelope(WireFixtures.prepareEnvelope()).toByteArray();
        byte[] withTrailer = concat(valid, Bytes.fromHex(trailingHex).toByteArray());
        rejected(CODEC.decodeEnvelope(Bytes.wrap(withTrailer)), DecodeError.TRUNCATED_OR_MALFORMED);
    }

    /** Unknown groups are skipped recursively; a deep nest must be refused, never overflow the stack. */
    @ParameterizedTest
    @ValueSource(ints = {101, 10_000, 1_000_000})
    void deeplyNestedGroupsAreRejectedWithoutStackOverflow(int depth) {
        byte[] nested = new byte[depth + 2];
        nested[0] = 0x08;
        nested[1] = 0x01;
        Arrays.fill(nested, 2, nested.length, (byte) 0x4b);
        rejected(CODEC.decodeEnvelope(Bytes.wrap(nested)), DecodeError.TRUNCATED_OR_MALFORMED);

        byte[] nestedBody = new byte[depth];
        Arrays.fill(nestedBody, (byte) 0x4b);
        Bytes envelope = envelope(SignedMessage.newBuilder()
                .setBody(ByteString.copyFrom(nestedBody)).setSignature(SIGNATURE).build());
        rejected(CODEC.decodeEnvelope(envelope), DecodeError.TRUNCATED_OR_MALFORMED);
    }

    // --- kinds and versions ---

    @Test
    void envelopeWithNoMessageIsRejected() {
        Bytes bytes = Bytes.wrap(Envelope.newBuilder().setProtocolVersion(1).build().toByteArray());
        assertEquals("envelope holds no message of a kind this version knows", rejected(CODEC.decodeEnvelope(bytes),
                DecodeError.UNKNOWN_TYPE));
    }

    @Test
    void envelopeWithAnUnknownKindIsRejected() {
        Bytes bytes = write(out -> {
            out.writeUInt32(1, 1);
            out.writeBytes(9, ByteString.copyFromUtf8("a view change from the future"));
        });
        rejected(CODEC.decodeEnvelope(bytes), DecodeError.UNKNOWN_TYPE);
    }

    @Test
    void bodyWithNoMessageIsRejected() {
        Bytes bytes = envelope(SignedMessage.newBuilder().setSignature(SIGNATURE).build());
        assertEquals("message body holds no message of a type this version knows",
                rejected(CODEC.decodeEnvelope(bytes), DecodeError.UNKNOWN_TYPE));
    }

    @Test
    void bodyWithAnUnknownTypeIsRejected() {
        Bytes body = write(out -> out.writeBytes(12, ByteString.copyFromUtf8("state transfer chunk")));
        Bytes bytes = envelope(SignedMessage.newBuilder()
                .setBody(ByteString.copyFrom(body.toByteArray())).setSignature(SIGNATURE).build());
        rejected(CODEC.decodeEnvelope(bytes), DecodeError.UNKNOWN_TYPE);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, -1})
    void otherProtocolVersionsAreRejected(int version) throws Exception {
        Envelope envelope = Envelope.parseFrom(CODEC.encodeEnvelope(WireFixtures.prepareEnvelope()).toByteArray())
                .toBuilder().setProtocolVersion(version).build();
        String detail = rejected(CODEC.decodeEnvelope(Bytes.wrap(envelope.toByteArray())), DecodeError.UNSUPPORTED_VERSION);
        assertEquals("protocol version " + Integer.toUnsignedString(version) + ", this node speaks 1", detail);
    }

    // --- field values ---

    static Stream<Arguments> invalidBodies() {
        Prepare prepare = Prepare.newBuilder().setView(5).setSequence(40).setBatchDigest(GOOD_DIGEST).setReplicaId(2).build();
        ClientRequest request = ClientRequest.newBuilder().setClientId(KEY).setRequestNumber(1)
                .setOperation(ByteString.copyFromUtf8("op")).build();
        Reply reply = Reply.newBuilder().setView(1).setClientId(KEY).setRequestNumber(1).setReplicaId(1).build();
        Status status = Status.newBuilder().setView(1).setLastExecutedSequence(1).setLowWatermark(1).setReplicaId(1).build();
        Checkpoint checkpoint = Checkpoint.newBuilder().setSequence(1).setStateDigest(GOOD_DIGEST).setReplicaId(1).build();
        Commit commit = Commit.newBuilder().setView(1).setSequence(1).setBatchDigest(GOOD_DIGEST).setReplicaId(1).build();
        return Stream.of(
                arguments(Body.newBuilder().setPrepare(prepare.toBuilder().setBatchDigest(digestOf(31))),
                        "message prepare: batch_digest must be 32 bytes, got 31"),
                arguments(Body.newBuilder().setPrepare(prepare.toBuilder().setBatchDigest(digestOf(33))),
                        "message prepare: batch_digest must be 32 bytes, got 33"),
                arguments(Body.newBuilder().setPrepare(prepare.toBuilder().clearBatchDigest()),
                        "message prepare: batch_digest must be 32 bytes, got 0"),
                arguments(Body.newBuilder().setPrepare(prepare.toBuilder().setView(Long.MIN_VALUE)),
                        "message prepare: view must be below 2^63, got 9223372036854775808"),
                arguments(Body.newBuilder().setPrepare(prepare.toBuilder().setSequence(-1)),
                        "message prepare: sequence must be below 2^63, got 18446744073709551615"),
                arguments(Body.newBuilder().setPrepare(prepare.toBuilder().setReplicaId(-1)),
                        "message prepare: replica_id must be below 2^31, got 4294967295"),
                arguments(Body.newBuilder().setCommit(commit.toBuilder().setBatchDigest(digestOf(1))),
                        "message commit: batch_digest must be 32 bytes, got 1"),
                arguments(Body.newBuilder().setCommit(commit.toBuilder().setReplicaId(Integer.MIN_VALUE)),
                        "message commit: replica_id must be below 2^31, got 2147483648"),
                arguments(Body.newBuilder().setCheckpoint(checkpoint.toBuilder().setStateDigest(digestOf(64))),
                        "message checkpoint: state_digest must be 32 bytes, got 64"),
                arguments(Body.newBuilder().setCheckpoint(checkpoint.toBuilder().setSequence(Long.MIN_VALUE)),
                        "message checkpoint: sequence must be below 2^63, got 9223372036854775808"),
                arguments(Body.newBuilder().setClientRequest(request.toBuilder().setClientId(digestOf(31))),
                        "message client_request: client_id must be a 32-byte Ed25519 public key, got 31 bytes"),
                arguments(Body.newBuilder().setClientRequest(request.toBuilder().clearClientId()),
                        "message client_request: client_id must be a 32-byte Ed25519 public key, got 0 bytes"),
                arguments(Body.newBuilder().setClientRequest(request.toBuilder().setRequestNumber(0)),
                        "message client_request: request_number must be between 1 and 2^63 - 1, got 0"),
                arguments(Body.newBuilder().setClientRequest(request.toBuilder().setRequestNumber(-1)),
                        "message client_request: request_number must be between 1 and 2^63 - 1, got 18446744073709551615"),
                arguments(Body.newBuilder().setReply(reply.toBuilder().setClientId(digestOf(33))),
                        "message reply: client_id must be a 32-byte Ed25519 public key, got 33 bytes"),
                arguments(Body.newBuilder().setReply(reply.toBuilder().setRequestNumber(0)),
                        "message reply: request_number must be between 1 and 2^63 - 1, got 0"),
                arguments(Body.newBuilder().setReply(reply.toBuilder().setView(-5)),
                        "message reply: view must be below 2^63, got 18446744073709551611"),
                arguments(Body.newBuilder().setStatus(status.toBuilder().setLowWatermark(-1)),
                        "message status: low_watermark must be below 2^63, got 18446744073709551615"),
                arguments(Body.newBuilder().setStatus(status.toBuilder().setLastExecutedSequence(-1)),
                        "message status: last_executed_sequence must be below 2^63, got 18446744073709551615"),
                arguments(Body.newBuilder().setStatus(status.toBuilder().setReplicaId(-7)),
                        "message status: replica_id must be below 2^31, got 4294967289"));
    }

    @ParameterizedTest
    @MethodSource("invalidBodies")
    void invalidFieldIsRejectedByName(Body body, String expectedDetail) {
        Bytes bytes = envelope(SignedMessage.newBuilder().setBody(body.toByteString()).setSignature(SIGNATURE).build());
        assertEquals(expectedDetail, rejected(CODEC.decodeEnvelope(bytes), DecodeError.INVALID_FIELD));

        Bytes signed = Bytes.wrap(SignedMessage.newBuilder().setBody(body.toByteString()).setSignature(SIGNATURE)
                .build().toByteArray());
        rejected(CODEC.decodeSigned(signed), DecodeError.INVALID_FIELD);
    }

    @Test
    void invalidFieldInsideABatchNamesTheRequest() {
        Body bad = Body.newBuilder().setClientRequest(ClientRequest.newBuilder().setClientId(KEY).setRequestNumber(0))
                .build();
        Bytes bytes = bundle(prePrepareMessage(), Batch.newBuilder()
                .addRequests(signedMessage(requestBody(1)))
                .addRequests(signedMessage(bad)));
        assertEquals("batch request 1 client_request: request_number must be between 1 and 2^63 - 1, got 0",
                rejected(CODEC.decodeEnvelope(bytes), DecodeError.INVALID_FIELD));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 63, 65, 128})
    void signatureOfTheWrongSizeIsRejected(int size) {
        Bytes bytes = envelope(SignedMessage.newBuilder().setBody(requestBody(1).toByteString())
                .setSignature(ByteString.copyFrom(new byte[size])).build());
        assertEquals("message: signature must be 64 bytes, got " + size,
                rejected(CODEC.decodeEnvelope(bytes), DecodeError.INVALID_FIELD));
    }

    @Test
    void operationOverTheLimitIsRejected() {
        var codec = new ProtobufCodec(new WireLimits(1 << 20, 100, 10));
        Bytes bytes = codec.encodeEnvelope(new MessageEnvelope(WireFixtures.clientRequest(1, 101)));
        assertEquals("message client_request: operation is 101 bytes, the limit is 100",
                rejected(codec.decodeEnvelope(bytes), DecodeError.OVERSIZED));
    }

    @Test
    void batchOverTheLimitIsRejected() {
        var codec = new ProtobufCodec(new WireLimits(1 << 20, 1000, 4));
        Bytes bytes = codec.encodeEnvelope(WireFixtures.prePrepareEnvelope(5));
        assertEquals("batch holds 5 requests, the limit is 4", rejected(codec.decodeEnvelope(bytes), DecodeError.OVERSIZED));
    }

    /**
     * The requests are empty, so parsing them would fail on their first field; being told about the count
     * instead shows the count is taken before the batch is materialised.
     */
    @Test
    void batchIsCountedBeforeItIsParsed() {
        Batch.Builder batch = Batch.newBuilder();
        for (int index = 0; index < 100_000; index++) {
            batch.addRequests(SignedMessage.getDefaultInstance());
        }
        Bytes bytes = bundle(prePrepareMessage(), batch);
        assertEquals("batch holds 100000 requests, the limit is 4096",
                rejected(CODEC.decodeEnvelope(bytes), DecodeError.OVERSIZED));
    }

    /** Protobuf merges repeated occurrences of a message field, so the count must add them up. */
    @Test
    void batchSplitAcrossRepeatedFieldsIsCountedInFull() throws Exception {
        var codec = new ProtobufCodec(new WireLimits(1 << 20, 1000, 4));
        Batch three = Batch.newBuilder().addRequests(signedMessage(requestBody(1)))
                .addRequests(signedMessage(requestBody(2))).addRequests(signedMessage(requestBody(3))).build();
        Bytes bundle = write(out -> {
            out.writeMessage(PrePrepareBundle.PRE_PREPARE_FIELD_NUMBER, prePrepareMessage());
            out.writeMessage(PrePrepareBundle.BATCH_FIELD_NUMBER, three);
            out.writeMessage(PrePrepareBundle.BATCH_FIELD_NUMBER, three);
        });
        Bytes bytes = write(out -> {
            out.writeUInt32(1, 1);
            out.writeBytes(Envelope.PRE_PREPARE_FIELD_NUMBER, ByteString.copyFrom(bundle.toByteArray()));
        });
        assertEquals(6, Envelope.parseFrom(bytes.toByteArray()).getPrePrepare().getBatch().getRequestsCount());
        assertEquals("batch holds 6 requests, the limit is 4", rejected(codec.decodeEnvelope(bytes), DecodeError.OVERSIZED));
    }

    @Test
    void bundleWithoutItsPrePrepareIsRejected() {
        Bytes bytes = Bytes.wrap(Envelope.newBuilder().setProtocolVersion(1)
                .setPrePrepare(PrePrepareBundle.newBuilder().setBatch(Batch.getDefaultInstance())).build().toByteArray());
        assertEquals("pre_prepare bundle has no signed pre_prepare",
                rejected(CODEC.decodeEnvelope(bytes), DecodeError.INVALID_FIELD));
    }

    // --- which body may appear where ---

    @Test
    void prePrepareOutsideABundleIsRejected() {
        Bytes bytes = envelope(prePrepareMessage());
        assertEquals("message: a pre_prepare must travel in a pre_prepare bundle with its batch",
                rejected(CODEC.decodeEnvelope(bytes), DecodeError.UNEXPECTED_TYPE));
    }

    @Test
    void bundleWhoseSignedMessageIsNotAPrePrepareIsRejected() {
        Bytes bytes = bundle(signedMessage(prepareBody()), Batch.newBuilder());
        assertEquals("pre_prepare bundle: expected a pre_prepare, got Prepare",
                rejected(CODEC.decodeEnvelope(bytes), DecodeError.UNEXPECTED_TYPE));
    }

    @Test
    void batchHoldingSomethingOtherThanAClientRequestIsRejected() {
        Bytes bytes = bundle(prePrepareMessage(), Batch.newBuilder()
                .addRequests(signedMessage(requestBody(1)))
                .addRequests(signedMessage(prepareBody())));
        assertEquals("batch request 1: a batch holds only client requests, got Prepare",
                rejected(CODEC.decodeEnvelope(bytes), DecodeError.UNEXPECTED_TYPE));
    }

    // --- canonical form ---

    static Stream<Arguments> nonCanonicalPrepares() {
        byte[] digest = DIGEST.value().toByteArray();
        return Stream.of(
                Arguments.of("fields out of order", write(out -> {
                    out.writeUInt64(2, 40);
                    out.writeUInt64(1, 5);
                    out.writeByteArray(3, digest);
                    out.writeUInt32(4, 2);
                })),
                Arguments.of("a repeated field", write(out -> {
                    out.writeUInt64(1, 5);
                    out.writeUInt64(2, 40);
                    out.writeByteArray(3, digest);
                    out.writeUInt32(4, 2);
                    out.writeUInt32(4, 2);
                })),
                Arguments.of("an explicit default value", write(out -> {
                    out.writeUInt64(1, 0);
                    out.writeUInt64(2, 40);
                    out.writeByteArray(3, digest);
                    out.writeUInt32(4, 2);
                })),
                Arguments.of("a non-minimal varint", write(out -> {
                    out.writeTag(1, 0);
                    out.writeRawBytes(new byte[] {(byte) 0x85, 0x00});
                    out.writeUInt64(2, 40);
                    out.writeByteArray(3, digest);
                    out.writeUInt32(4, 2);
                })),
                Arguments.of("an unknown field", write(out -> {
                    out.writeUInt64(1, 5);
                    out.writeUInt64(2, 40);
                    out.writeByteArray(3, digest);
                    out.writeUInt32(4, 2);
                    out.writeUInt64(9, 1);
                })));
    }

    @ParameterizedTest
    @MethodSource("nonCanonicalPrepares")
    void nonCanonicalBodyIsRejected(String what, Bytes prepare) {
        Bytes body = write(out -> out.writeBytes(Body.PREPARE_FIELD_NUMBER, ByteString.copyFrom(prepare.toByteArray())));
        Bytes bytes = envelope(SignedMessage.newBuilder()
                .setBody(ByteString.copyFrom(body.toByteArray())).setSignature(SIGNATURE).build());
        String detail = rejected(CODEC.decodeEnvelope(bytes), DecodeError.NON_CANONICAL);
        assertTrue(detail.startsWith("message body is not in canonical protobuf form"), what + ": " + detail);
    }

    @Test
    void bodyWithTwoMessagesIsRejected() {
        Bytes body = Bytes.wrap(concat(prepareBody().toByteArray(),
                Body.newBuilder().setCommit(Commit.newBuilder().setView(1).setSequence(1).setBatchDigest(GOOD_DIGEST))
                        .build().toByteArray()));
        Bytes bytes = envelope(SignedMessage.newBuilder()
                .setBody(ByteString.copyFrom(body.toByteArray())).setSignature(SIGNATURE).build());
        rejected(CODEC.decodeEnvelope(bytes), DecodeError.NON_CANONICAL);
    }

    @Test
    void envelopeWithAnUnknownExtraFieldIsRejected() {
        byte[] valid = CODEC.encodeEnvelope(WireFixtures.prepareEnvelope()).toByteArray();
        byte[] extra = write(out -> out.writeUInt64(15, 7)).toByteArray();
        assertEquals(
                "envelope is not in canonical protobuf form (unknown, repeated or out-of-order fields, explicit default"
                        + " values, or non-minimal varints)",
                rejected(CODEC.decodeEnvelope(Bytes.wrap(concat(valid, extra))), DecodeError.NON_CANONICAL));
    }

    @Test
    void envelopeWithANonMinimalVersionIsRejected() {
        byte[] valid = CODEC.encodeEnvelope(WireFixtures.prepareEnvelope()).toByteArray();
        assertEquals("0801", Bytes.copyOf(valid, 0, 2).toHex());
        byte[] padded = concat(Bytes.fromHex("088100").toByteArray(), Arrays.copyOfRange(valid, 2, valid.length));
        rejected(CODEC.decodeEnvelope(Bytes.wrap(padded)), DecodeError.NON_CANONICAL);
    }

    @Test
    void signedMessageWithAnUnknownFieldIsRejected() {
        byte[] valid = CODEC.encodeSigned(WireFixtures.prepareEnvelope().message()).toByteArray();
        byte[] extra = write(out -> out.writeUInt64(3, 1)).toByteArray();
        rejected(CODEC.decodeSigned(Bytes.wrap(concat(valid, extra))), DecodeError.NON_CANONICAL);
    }

    @Test
    void signedMessageGarbageIsRejected() {
        rejected(CODEC.decodeSigned(Bytes.fromHex("0aff")), DecodeError.TRUNCATED_OR_MALFORMED);
        rejected(CODEC.decodeSigned(Bytes.EMPTY), DecodeError.INVALID_FIELD);
    }

    // --- helpers ---

    static String rejected(DecodeResult result, DecodeError expected) {
        var rejected = assertInstanceOf(DecodeResult.Rejected.class, result, result::toString);
        assertEquals(expected, rejected.error(), rejected.detail());
        return rejected.detail();
    }

    static String rejected(SignedDecodeResult result, DecodeError expected) {
        var rejected = assertInstanceOf(SignedDecodeResult.Rejected.class, result, result::toString);
        assertEquals(expected, rejected.error(), rejected.detail());
        return rejected.detail();
    }

    private static Arguments arguments(Body.Builder body, String detail) {
        return Arguments.of(body.build(), detail);
    }

    private static ByteString digestOf(int size) {
        return ByteString.copyFrom(new byte[size]);
    }

    private static Body prepareBody() {
        return Body.newBuilder().setPrepare(
                Prepare.newBuilder().setView(1).setSequence(1).setBatchDigest(GOOD_DIGEST).setReplicaId(1)).build();
    }

    private static Body requestBody(long requestNumber) {
        return Body.newBuilder().setClientRequest(
                ClientRequest.newBuilder().setClientId(KEY).setRequestNumber(requestNumber)).build();
    }

    private static SignedMessage prePrepareMessage() {
        return signedMessage(Body.newBuilder().setPrePrepare(
                PrePrepare.newBuilder().setView(1).setSequence(1).setBatchDigest(GOOD_DIGEST).setReplicaId(0)).build());
    }

    private static SignedMessage signedMessage(Body body) {
        return SignedMessage.newBuilder().setBody(body.toByteString()).setSignature(SIGNATURE).build();
    }

    private static Bytes envelope(SignedMessage message) {
        return Bytes.wrap(Envelope.newBuilder().setProtocolVersion(1).setMessage(message).build().toByteArray());
    }

    private static Bytes bundle(SignedMessage prePrepare, Batch.Builder batch) {
        return Bytes.wrap(Envelope.newBuilder().setProtocolVersion(1)
                .setPrePrepare(PrePrepareBundle.newBuilder().setPrePrepare(prePrepare).setBatch(batch))
                .build().toByteArray());
    }

    static byte[] concat(byte[] first, byte[] second) {
        byte[] result = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }

    @FunctionalInterface
    interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    static Bytes write(Writer writer) {
        try {
            var buffer = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(buffer);
            writer.write(out);
            out.flush();
            return Bytes.wrap(buffer.toByteArray());
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
    }
}
