package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A primary that orders an old batch again: at every third sequence number it proposes, once it has
 * proposed a non-null batch before, it sends the oldest such batch instead of the new one (to every
 * backup alike, correctly signed with that batch's digest). The old requests may then be ordered twice;
 * the exactly-once rule (PBFT §4.1's timestamps) must keep them from executing twice, and the requests it
 * pushed out must still complete, through retransmission or a view change.
 */
final class ReplayingPrimaryBehavior implements ByzantineBehavior {
    static final String REPLAYED = "old batches replayed";

    private Optional<Batch> firstProposed = Optional.empty();
    /** Looked up only, never iterated. Keeps the choice for a sequence number the same at every backup. */
    private final Map<Long, Batch> replacements = new HashMap<>();

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        Optional<Envelope.PrePrepareEnvelope> proposal = PrimaryMessages.ownProposal(envelope, context);
        if (proposal.isEmpty()) {
            return PrimaryMessages.honest(envelope, context);
        }
        PrePrepare body = proposal.get().prePrepare().body();
        Batch replacement = replacements.computeIfAbsent(body.sequence(), sequence -> choose(sequence,
                proposal.get().batch(), context));
        if (replacement.equals(proposal.get().batch())) {
            return PrimaryMessages.honest(envelope, context);
        }
        return List.of(PrimaryMessages.proposal(body.view(), body.sequence(), replacement, context));
    }

    private Batch choose(long sequence, Batch batch, ByzantineContext context) {
        if (sequence % 3 == 0 && firstProposed.isPresent() && !firstProposed.get().equals(batch)) {
            context.count(REPLAYED);
            return firstProposed.get();
        }
        if (firstProposed.isEmpty() && !batch.isNull()) {
            firstProposed = Optional.of(batch);
        }
        return batch;
    }
}
