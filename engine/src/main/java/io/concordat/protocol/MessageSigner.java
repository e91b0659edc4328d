package io.concordat.protocol;

import io.concordat.crypto.Signer;
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

    public Signer signer() {
        return signer;
    }
}
