package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Status;
import java.util.List;
import java.util.Optional;

/** What the Byzantine-primary behaviours share: spotting their own proposals, and making new ones. */
final class PrimaryMessages {
    private PrimaryMessages() {}

    /** The envelope, if it carries a pre-prepare this replica proposes as the primary of its view. */
    static Optional<Envelope.PrePrepareEnvelope> ownProposal(Envelope envelope, ByzantineContext context) {
        if (envelope instanceof Envelope.PrePrepareEnvelope prePrepare && context.isPrimary()
                && prePrepare.prePrepare().body().replicaId() == context.replicaId()) {
            return Optional.of(prePrepare);
        }
        return Optional.empty();
    }

    /** Whether the envelope is this replica's heartbeat: a STATUS it sends while it is the primary. */
    static boolean isHeartbeat(Envelope envelope, ByzantineContext context) {
        if (!(envelope instanceof Envelope.MessageEnvelope message) || !context.isPrimary()) {
            return false;
        }
        Signable body = message.message().body();
        return body instanceof Status;
    }

    /** A pre-prepare for {@code batch} at ({@code view}, {@code sequence}): its true digest, its own key. */
    static Bytes proposal(long view, long sequence, Batch batch, ByzantineContext context) {
        PrePrepare body = new PrePrepare(view, sequence, batch.digest(), context.replicaId());
        return context.encode(new Envelope.PrePrepareEnvelope(context.sign(body), batch));
    }

    static List<Bytes> honest(Envelope envelope, ByzantineContext context) {
        return List.of(context.encode(envelope));
    }
}
