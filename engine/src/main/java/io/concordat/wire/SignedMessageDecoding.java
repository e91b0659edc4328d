package io.concordat.wire;

import com.google.protobuf.ByteString;
import io.concordat.crypto.Ed25519Signer;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.proto.Body;
import io.concordat.wire.proto.SignedMessage;

/**
 * A {@link SignedMessage} to a {@link Signed} value. The body bytes are parsed on their own and must be
 * canonical, which is what lets the decoder promise that {@link Signed#body()} is exactly what
 * {@link Signed#encoded()} holds. The signature is only checked for size; verifying it is the core's job.
 */
final class SignedMessageDecoding {
    private final BodyDecoding bodyDecoding;

    SignedMessageDecoding(BodyDecoding bodyDecoding) {
        this.bodyDecoding = bodyDecoding;
    }

    Signed<Signable> toDomain(SignedMessage message, String position) throws RejectedInput {
        ByteString signature = message.getSignature();
        if (signature.size() != Ed25519Signer.SIGNATURE_SIZE_BYTES) {
            throw new RejectedInput(DecodeError.INVALID_FIELD, position + ": signature must be "
                    + Ed25519Signer.SIGNATURE_SIZE_BYTES + " bytes, got " + signature.size());
        }
        ByteString encoded = message.getBody();
        Body body = StrictParsing.parse(Body.parser(), encoded, position + " body");
        Signable decoded = bodyDecoding.toDomain(body, position);
        StrictParsing.requireCanonical(body, encoded, position + " body");
        return new Signed<>(decoded, BodyDecoding.bytes(encoded), BodyDecoding.bytes(signature));
    }
}
