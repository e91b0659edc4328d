package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;

/**
 * Every check a replica's reply must pass before it counts as a vote: it must decode, be a {@code Reply}
 * signed by that very replica (its key from the settings), and name this client, this request number and
 * the expected kind. A client runs it only for replies it still needs, so that the replies that come after
 * the f+1 matching ones cost no signature verification. Thread-safe; never throws.
 */
final class ReplyCheck {

    /** What a valid reply must name. */
    record Expectation(PublicKey clientId, long requestNumber, boolean readOnly) {}

    private final BftClientSettings settings;
    private final ProtobufCodec codec;
    private final SignatureVerifier verifier;

    ReplyCheck(BftClientSettings settings, ProtobufCodec codec, SignatureVerifier verifier) {
        this.settings = settings;
        this.codec = codec;
        this.verifier = verifier;
    }

    ReplicaAnswer check(int replicaId, Bytes body, Expectation expected) {
        DecodeResult decoded = codec.decodeEnvelope(body);
        if (decoded instanceof DecodeResult.Rejected rejected) {
            return new ReplicaAnswer.InvalidReply("undecodable: " + rejected.error() + ": " + rejected.detail());
        }
        Envelope envelope = ((DecodeResult.Decoded) decoded).envelope();
        if (!(envelope instanceof Envelope.MessageEnvelope single && single.message().body() instanceof Reply)) {
            return new ReplicaAnswer.InvalidReply("not a Reply envelope");
        }
        @SuppressWarnings("unchecked")
        Signed<Reply> signed = (Signed<Reply>) single.message();
        Reply reply = signed.body();
        if (reply.replicaId() != replicaId) {
            return new ReplicaAnswer.InvalidReply("reply names replica " + reply.replicaId());
        }
        PublicKey key = settings.replicas().get(replicaId).publicKey();
        if (!verifier.verify(key, signed.encoded(), signed.signature())) {
            return new ReplicaAnswer.BadSignature();
        }
        if (!reply.clientId().equals(expected.clientId())) {
            return new ReplicaAnswer.InvalidReply("reply is for another client");
        }
        if (reply.requestNumber() != expected.requestNumber()) {
            return new ReplicaAnswer.InvalidReply("reply is for request " + reply.requestNumber());
        }
        if (reply.readOnly() != expected.readOnly()) {
            return new ReplicaAnswer.InvalidReply(reply.readOnly() ? "a read-only reply to an ordered request"
                    : "an ordered reply to a read-only request");
        }
        return new ReplicaAnswer.Valid(reply.result());
    }
}
