package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A new primary whose NEW-VIEW carries a wrong O set (PBFT §4.4), correctly signed with its own key, as
 * are the pre-prepares in it. At random it drops the last re-proposal (losing a certificate's batch),
 * substitutes another digest in the first, or adds a bogus entry above the highest one. The backups
 * recompute O from V, must reject the NEW-VIEW, and move to the next view. Only the NEW-VIEW is altered:
 * the core's other messages pass unchanged.
 */
final class BadNewViewBehavior implements ByzantineBehavior {
    static final String BAD_NEW_VIEWS = "bad NEW-VIEWs";

    /** Looked up only, never iterated: every backup gets the same wrong NEW-VIEW of a view. */
    private final Map<Long, Bytes> sentByView = new HashMap<>();

    @Override
    public List<Bytes> rewrite(Envelope envelope, int destinationNode, ByzantineContext context) {
        if (!(envelope instanceof Envelope.MessageEnvelope message)
                || !(message.message().body() instanceof NewView newView)
                || newView.replicaId() != context.replicaId()) {
            return PrimaryMessages.honest(envelope, context);
        }
        Bytes wrong = sentByView.computeIfAbsent(newView.view(), view -> {
            context.count(BAD_NEW_VIEWS);
            NewView altered = new NewView(view, newView.viewChanges(), wrongPrePrepares(newView, context),
                    context.replicaId());
            return context.encode(new Envelope.MessageEnvelope(context.sign(altered)));
        });
        return List.of(wrong);
    }

    private List<Signed<PrePrepare>> wrongPrePrepares(NewView newView, ByzantineContext context) {
        List<Signed<PrePrepare>> prePrepares = new ArrayList<>(newView.prePrepares());
        int variant = context.random().nextInt(3);
        if (variant == 0 && !prePrepares.isEmpty()) {
            prePrepares.remove(prePrepares.size() - 1);
            context.count("NEW-VIEW re-proposals dropped");
        } else if (variant == 1 && !prePrepares.isEmpty()) {
            PrePrepare first = prePrepares.get(0).body();
            prePrepares.set(0, context.sign(new PrePrepare(first.view(), first.sequence(),
                    MessageForgery.twist(first.batchDigest(), newView.view()), context.replicaId())));
            context.count("NEW-VIEW digests substituted");
        } else {
            prePrepares.add(context.sign(new PrePrepare(newView.view(), highestSequence(newView) + 1,
                    bogusDigest(context), context.replicaId())));
            context.count("NEW-VIEW bogus entries added");
        }
        return prePrepares;
    }

    private static long highestSequence(NewView newView) {
        long highest = 0;
        for (Signed<ViewChange> viewChange : newView.viewChanges()) {
            highest = Math.max(highest, viewChange.body().stableSequence());
        }
        for (Signed<PrePrepare> prePrepare : newView.prePrepares()) {
            highest = Math.max(highest, prePrepare.body().sequence());
        }
        return highest;
    }

    private static Digest bogusDigest(ByzantineContext context) {
        return MessageForgery.twist(io.concordat.protocol.message.Batch.NULL.digest(), context.random().nextLong());
    }
}
