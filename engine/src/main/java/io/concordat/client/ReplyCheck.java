package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.PairwiseKey;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;

/**
 * Every check a replica's reply must pass before it counts as a vote: it must decode, be a {@code Reply}
 * authenticated by that very replica (the MAC of the key this client shares with it, {@link PairwiseKey},
 * from the replica's key in the settings), and name this client, this request number and the expected
 * kind. A client runs it only for replies it still needs. Thread-safe; never throws.
 */
final class ReplyCheck {

    /** What a valid reply must name. */
    record Expectation(PublicKey clientId, long requestNumber, boolean readOnly) {}

    private final BftClientSettings settings;
    private final ProtobufCodec codec;
    private final PairwiseKeys replicaKeys;

    ReplyCheck(BftClientSettings settings, ProtobufCodec codec, PairwiseKeys replicaKeys) {
        this.settings = settings;
        this.codec = codec;
        this.replicaKeys = replicaKeys;
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
        if (!reply.clientId().equals(expected.clientId())) {
            return new ReplicaAnswer.InvalidReply("reply is for another client");
        }
        PublicKey key = settings.replicas().get(replicaId).publicKey();
        boolean authentic = replicaKeys.with(key).map(shared -> shared.checkReply(signed.encoded(), signed.signature()))
                .orElse(false);
        if (!authentic) {
            return new ReplicaAnswer.BadAuthenticator();
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
