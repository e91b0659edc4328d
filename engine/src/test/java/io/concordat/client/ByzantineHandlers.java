package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.endpoint.RequestHandler;
import io.concordat.endpoint.SubmitOutcome;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/** Replica behaviours a client must survive, applied to what an honest replica answers. */
final class ByzantineHandlers {
    private ByzantineHandlers() {}

    /** Sends the honest reply with one bit of its signature flipped: a forgery the client must reject. */
    static RequestHandler forgingSignatures(RequestHandler honest, ProtobufCodec codec) {
        return rewritingReplies(honest, codec, reply -> {
            byte[] signature = reply.signature().toByteArray();
            signature[0] ^= 0x01;
            return new Signed<>(reply.body(), reply.encoded(), Bytes.wrap(signature));
        });
    }

    /**
     * Authenticates, with the key its own real key shares with the client, a reply that carries a wrong
     * result: a lie with a valid authenticator.
     */
    static RequestHandler lying(RequestHandler honest, ProtobufCodec codec, Ed25519KeyPair replicaKeys, Bytes lie) {
        var signer = new MessageSigner(replicaKeys.signer(), codec);
        var clientKeys = PairwiseKeys.ofReplica(replicaKeys.signer());
        return rewritingReplies(honest, codec, reply -> {
            Reply body = reply.body();
            return signer.authenticate(new Reply(body.view(), body.clientId(), body.requestNumber(), lie,
                    body.readOnly(), body.replicaId()), clientKeys.with(body.clientId()).orElseThrow());
        });
    }

    /**
     * Sends the honest reply's body with a real Ed25519 signature of its own key in place of the MAC: what a
     * reply was before replies were MACs, which the client must not take for a vote.
     */
    static RequestHandler signingInsteadOfAuthenticating(RequestHandler honest, ProtobufCodec codec,
            Ed25519KeyPair replicaKeys) {
        var signer = new MessageSigner(replicaKeys.signer(), codec);
        return rewritingReplies(honest, codec, reply -> signer.sign(reply.body()));
    }

    /** Refuses the first {@code refusals} submissions as unavailable without passing them on, then is honest. */
    static RequestHandler unavailableAtFirst(RequestHandler honest, int refusals, AtomicInteger submissions) {
        return envelope -> {
            if (submissions.incrementAndGet() <= refusals) {
                return CompletableFuture.completedFuture(
                        new SubmitOutcome.Refused(SubmitOutcome.Refusal.UNAVAILABLE, "starting up"));
            }
            return honest.submit(envelope);
        };
    }

    private static RequestHandler rewritingReplies(RequestHandler honest, ProtobufCodec codec,
            UnaryOperator<Signed<Reply>> rewrite) {
        return envelope -> honest.submit(envelope).thenApply(outcome -> {
            if (!(outcome instanceof SubmitOutcome.Replied replied)) {
                return outcome;
            }
            var decoded = (DecodeResult.Decoded) codec.decodeEnvelope(replied.replyEnvelope());
            @SuppressWarnings("unchecked")
            Signed<Reply> reply = (Signed<Reply>) ((Envelope.MessageEnvelope) decoded.envelope()).message();
            return new SubmitOutcome.Replied(codec.encodeEnvelope(new Envelope.MessageEnvelope(rewrite.apply(reply))));
        });
    }
}
