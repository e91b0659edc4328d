package io.concordat.endpoint;

import io.concordat.common.Bytes;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeError;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import java.util.Locale;
import java.util.Optional;

/**
 * The endpoint's checks on a request body, cheapest first: not empty, decodes as a canonical envelope
 * within the size limits, holds exactly one signed client request, and (when enabled) the signature
 * verifies against the client id. Whatever fails here never reaches the replica. Stateless and thread-safe;
 * never throws on any input.
 */
final class RequestScreening {
    private final ProtobufCodec codec;
    private final SignatureVerifier verifier;
    private final boolean verifySignatures;

    RequestScreening(ProtobufCodec codec, SignatureVerifier verifier, boolean verifySignatures) {
        this.codec = codec;
        this.verifier = verifier;
        this.verifySignatures = verifySignatures;
    }

    /** Empty if the body may be forwarded, otherwise the error to answer with. */
    Optional<EndpointError> screen(Bytes body) {
        if (body.isEmpty()) {
            return Optional.of(EndpointError.of(ErrorCode.MALFORMED,
                    "malformed envelope: the body is empty; expected a serialized concordat.wire.v1.Envelope"));
        }
        DecodeResult decoded = codec.decodeEnvelope(body);
        if (decoded instanceof DecodeResult.Rejected rejected) {
            return Optional.of(decodeError(rejected));
        }
        Envelope envelope = ((DecodeResult.Decoded) decoded).envelope();
        if (envelope instanceof Envelope.PrePrepareEnvelope) {
            return Optional.of(EndpointError.of(ErrorCode.NOT_A_CLIENT_REQUEST,
                    "wrong message type: expected an Envelope with one signed ClientRequest, got a PrePrepare bundle"));
        }
        Signed<? extends Signable> message = ((Envelope.MessageEnvelope) envelope).message();
        if (!(message.body() instanceof ClientRequest)) {
            return Optional.of(EndpointError.of(ErrorCode.NOT_A_CLIENT_REQUEST,
                    "wrong message type: expected an Envelope with one signed ClientRequest, got a %s",
                    message.body().getClass().getSimpleName()));
        }
        ClientRequest request = (ClientRequest) message.body();
        if (verifySignatures && !verifier.verify(request.clientId(), message.encoded(), message.signature())) {
            return Optional.of(EndpointError.of(ErrorCode.BAD_SIGNATURE,
                    "bad signature: the signature does not verify against the request's client id %s "
                            + "(Ed25519 over the serialized Body bytes)", request.clientId().encoded().toHex()));
        }
        return Optional.empty();
    }

    private static EndpointError decodeError(DecodeResult.Rejected rejected) {
        if (rejected.error() == DecodeError.OVERSIZED) {
            return EndpointError.of(ErrorCode.OVERSIZED, "too large: %s", rejected.detail());
        }
        if (rejected.error() == DecodeError.UNEXPECTED_TYPE) {
            return EndpointError.of(ErrorCode.NOT_A_CLIENT_REQUEST, "wrong message type: %s", rejected.detail());
        }
        return EndpointError.of(ErrorCode.MALFORMED, "malformed envelope: %s: %s",
                rejected.error().name().toLowerCase(Locale.ROOT).replace('_', ' '), rejected.detail());
    }
}
