package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.ProtobufCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** What a Byzantine behaviour may use: its own key, the codec, its own random stream, what it sent. */
final class ByzantineContext {
    private static final int REMEMBERED_MAX = 256;

    private final int replicaId;
    private final Membership membership;
    private final MessageSigner signer;
    private final ProtobufCodec codec;
    private final SplittableRandom random;
    private final List<Bytes> sentEarlier = new ArrayList<>();

    ByzantineContext(int replicaId, Membership membership, MessageSigner signer, ProtobufCodec codec,
            SplittableRandom random) {
        this.replicaId = replicaId;
        this.membership = membership;
        this.signer = signer;
        this.codec = codec;
        this.random = random;
    }

    int replicaId() {
        return replicaId;
    }

    Membership membership() {
        return membership;
    }

    SplittableRandom random() {
        return random;
    }

    Bytes encode(Envelope envelope) {
        return codec.encodeEnvelope(envelope);
    }

    /** Signs {@code body} with this replica's own key and wraps it like {@code original} was wrapped. */
    Envelope resign(ReplicaMessage body, Envelope original) {
        if (body instanceof PrePrepare prePrepare && original instanceof Envelope.PrePrepareEnvelope envelope) {
            return new Envelope.PrePrepareEnvelope(signer.sign(prePrepare), envelope.batch());
        }
        Signed<ReplicaMessage> signed = signer.sign(body);
        return new Envelope.MessageEnvelope(signed);
    }

    /** Keeps what was sent for {@link ReplayingBehavior}, at most a few hundred messages. */
    void remember(Bytes encoded) {
        if (sentEarlier.size() < REMEMBERED_MAX) {
            sentEarlier.add(encoded);
        } else {
            sentEarlier.set(random.nextInt(REMEMBERED_MAX), encoded);
        }
    }

    List<Bytes> sentEarlier() {
        return sentEarlier;
    }
}
