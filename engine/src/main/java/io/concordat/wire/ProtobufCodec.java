package io.concordat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.concordat.common.Bytes;
import io.concordat.protocol.MessageEncoder;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Envelope.MessageEnvelope;
import io.concordat.protocol.message.Envelope.PrePrepareEnvelope;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.proto.PrePrepareBundle;
import io.concordat.wire.proto.SignedMessage;
import java.util.Objects;

/**
 * The protobuf wire format (schema: {@code concordat.proto}, package {@code concordat.wire.v1}).
 *
 * <p>Encoding: {@link #encode(Signable)} gives the bytes that are signed, a serialized {@code Body}.
 * Envelopes carry those bytes as they were signed, never a re-encoding.
 *
 * <p>Decoding never throws on any input: it checks the size before parsing, counts a batch's requests
 * before materialising them, parses, checks the protocol version and every field, checks which body may
 * appear where, and requires the canonical encoding. Anything wrong becomes a {@code Rejected} result
 * with a {@link DecodeError} and a readable detail. Signatures are checked for size only; verifying them
 * is the protocol core's job. What the decoder does guarantee is that each {@link Signed#body()} is exactly
 * what its {@link Signed#encoded()} bytes hold, and that {@code encode(body)} gives those bytes back.
 *
 * <p>Thread-safe and stateless apart from its limits.
 */
public final class ProtobufCodec implements MessageEncoder {
    /** The version this codec writes and the only one it accepts. */
    public static final int PROTOCOL_VERSION = 1;

    private final WireLimits limits;
    private final SignedMessageDecoding signedDecoding;
    private final EnvelopeDecoding envelopeDecoding;

    public ProtobufCodec(WireLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.signedDecoding = new SignedMessageDecoding(new BodyDecoding(limits));
        this.envelopeDecoding = new EnvelopeDecoding(limits, signedDecoding);
    }

    public WireLimits limits() {
        return limits;
    }

    /** The bytes that are signed for {@code body}: its serialized protobuf {@code Body}. */
    @Override
    public Bytes encode(Signable body) {
        Objects.requireNonNull(body, "body");
        return Bytes.wrap(BodyEncoding.toProto(body).toByteArray());
    }

    public Bytes encodeEnvelope(Envelope envelope) {
        Objects.requireNonNull(envelope, "envelope");
        var builder = io.concordat.wire.proto.Envelope.newBuilder().setProtocolVersion(PROTOCOL_VERSION);
        if (envelope instanceof MessageEnvelope message) {
            builder.setMessage(signedMessage(message.message()));
        } else if (envelope instanceof PrePrepareEnvelope prePrepare) {
            builder.setPrePrepare(PrePrepareBundle.newBuilder()
                    .setPrePrepare(signedMessage(prePrepare.prePrepare()))
                    .setBatch(batch(prePrepare.batch())));
        } else {
            throw new IllegalStateException("no wire encoding for " + envelope.getClass().getName());
        }
        return Bytes.wrap(builder.build().toByteArray());
    }

    /**
     * Decodes an envelope received from the network. Never throws, whatever {@code bytes} holds.
     *
     * @param bytes the serialized envelope; must not be null
     */
    public DecodeResult decodeEnvelope(Bytes bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.size() > limits.maxEnvelopeBytes()) {
            return new DecodeResult.Rejected(DecodeError.OVERSIZED, "envelope is " + bytes.size()
                    + " bytes, the limit is " + limits.maxEnvelopeBytes());
        }
        ByteString input = UnsafeByteOperations.unsafeWrap(bytes.unsafeArray());
        try {
            long batchRequests = BatchRequestCounter.count(input);
            if (batchRequests > limits.maxBatchRequests()) {
                throw BatchRequestCounter.limitExceeded(batchRequests, limits);
            }
            var envelope = StrictParsing.parse(io.concordat.wire.proto.Envelope.parser(), input, "envelope");
            if (envelope.getProtocolVersion() != PROTOCOL_VERSION) {
                throw new RejectedInput(DecodeError.UNSUPPORTED_VERSION, "protocol version "
                        + Integer.toUnsignedString(envelope.getProtocolVersion()) + ", this node speaks "
                        + PROTOCOL_VERSION);
            }
            Envelope decoded = envelopeDecoding.toDomain(envelope);
            StrictParsing.requireCanonical(envelope, input, "envelope");
            return new DecodeResult.Decoded(decoded);
        } catch (RejectedInput rejected) {
            return new DecodeResult.Rejected(rejected.error(), rejected.detail());
        } catch (IllegalArgumentException invalid) {
            // A protocol record refused a value that the checks above let through.
            return new DecodeResult.Rejected(DecodeError.INVALID_FIELD, String.valueOf(invalid.getMessage()));
        }
    }

    /**
     * One signed message as a serialized {@code SignedMessage}, for storing or forwarding a message on its
     * own (for example inside a certificate), with its original signed bytes.
     */
    public Bytes encodeSigned(Signed<? extends Signable> signed) {
        Objects.requireNonNull(signed, "signed");
        return Bytes.wrap(signedMessage(signed).toByteArray());
    }

    /**
     * Decodes what {@link #encodeSigned} wrote, with the same checks as {@link #decodeEnvelope} and any body
     * type allowed. Never throws, whatever {@code bytes} holds.
     */
    public SignedDecodeResult decodeSigned(Bytes bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.size() > limits.maxEnvelopeBytes()) {
            return new SignedDecodeResult.Rejected(DecodeError.OVERSIZED, "signed message is " + bytes.size()
                    + " bytes, the limit is " + limits.maxEnvelopeBytes());
        }
        ByteString input = UnsafeByteOperations.unsafeWrap(bytes.unsafeArray());
        try {
            SignedMessage message = StrictParsing.parse(SignedMessage.parser(), input, "signed message");
            Signed<Signable> decoded = signedDecoding.toDomain(message, "signed message");
            StrictParsing.requireCanonical(message, input, "signed message");
            return new SignedDecodeResult.Decoded(decoded);
        } catch (RejectedInput rejected) {
            return new SignedDecodeResult.Rejected(rejected.error(), rejected.detail());
        } catch (IllegalArgumentException invalid) {
            return new SignedDecodeResult.Rejected(DecodeError.INVALID_FIELD, String.valueOf(invalid.getMessage()));
        }
    }

    private static SignedMessage signedMessage(Signed<? extends Signable> signed) {
        return SignedMessage.newBuilder()
                .setBody(BodyEncoding.byteString(signed.encoded()))
                .setSignature(BodyEncoding.byteString(signed.signature()))
                .build();
    }

    private static io.concordat.wire.proto.Batch batch(Batch batch) {
        var builder = io.concordat.wire.proto.Batch.newBuilder();
        for (Signed<ClientRequest> request : batch.requests()) {
            builder.addRequests(signedMessage(request));
        }
        return builder.build();
    }
}
