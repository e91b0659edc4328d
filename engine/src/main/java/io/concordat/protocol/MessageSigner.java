package io.concordat.protocol;

import io.concordat.crypto.PairwiseKey;
import io.concordat.crypto.Signer;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import java.util.Objects;

/** Encodes a message body and signs the encoding: the one way a {@link Signed} message is made. */
public final class MessageSigner {
    private final Signer signer;
    private final MessageEncoder encoder;

    public MessageSigner(Signer signer, MessageEncoder encoder) {
        this.signer = Objects.requireNonNull(signer, "signer");
        this.encoder = Objects.requireNonNull(encoder, "encoder");
    }

    public <T extends Signable> Signed<T> sign(T body) {
        var encoded = encoder.encode(body);
        return new Signed<>(body, encoded, signer.sign(encoded));
    }

    /**
     * Encodes a reply and authenticates the encoding with the MAC of the pairwise key this replica shares
     * with the reply's client ({@link PairwiseKey#replyAuthenticator}) in place of a signature: only that
     * client needs to check it, and an HMAC costs about a microsecond where signing costs tens
     * (docs/security.md, "Pairwise keys").
     */
    public Signed<Reply> authenticate(Reply reply, PairwiseKey clientKey) {
        var encoded = encoder.encode(reply);
        return new Signed<>(reply, encoded, clientKey.replyAuthenticator(encoded));
    }

    public Signer signer() {
        return signer;
    }
}
