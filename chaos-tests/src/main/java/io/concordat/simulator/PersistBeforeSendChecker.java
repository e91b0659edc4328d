package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.protocol.Outbound;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.Ready;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.NewView;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The order rule of {@link Ready}: a replica never sends a pre-prepare, prepare, commit, checkpoint,
 * VIEW-CHANGE or NEW-VIEW of its own that is not durable, in the same Ready or an earlier one (PBFT §4.2
 * and §4.4: a replica must not forget what it sent). The simulator cannot crash a replica between persisting and sending yet, so it checks
 * the rule directly on every Ready.
 */
final class PersistBeforeSendChecker {
    private static final int REPORTED_MAX = 5;

    private final int replicaId;
    private final Set<Bytes> persistedEncodings = new HashSet<>();
    private final List<String> violations = new ArrayList<>();

    PersistBeforeSendChecker(int replicaId) {
        this.replicaId = replicaId;
    }

    void record(Ready ready, long tick) {
        for (ProtocolEvent event : ready.persist()) {
            persistedEncodings.add(persistedEncoding(event));
            if (event instanceof ProtocolEvent.NewViewAccepted newView) {
                // the NEW-VIEW's O set: the new primary's pre-prepares are durable as part of it (PBFT §4.4)
                for (Signed<PrePrepare> prePrepare : newView.newView().body().prePrepares()) {
                    persistedEncodings.add(prePrepare.encoded());
                }
            }
        }
        for (Outbound outbound : ready.send()) {
            Optional<Signed<? extends Signable>> vote = ownVote(outbound.envelope());
            if (vote.isPresent() && !persistedEncodings.contains(vote.get().encoded())
                    && violations.size() < REPORTED_MAX) {
                violations.add("order rule: replica " + replicaId + " sent " + vote.get().body() + " at tick " + tick
                        + " without persisting it first");
            }
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    private static Bytes persistedEncoding(ProtocolEvent event) {
        if (event instanceof ProtocolEvent.PrePrepareAccepted accepted) {
            return accepted.prePrepare().encoded();
        }
        if (event instanceof ProtocolEvent.PrepareSent prepare) {
            return prepare.prepare().encoded();
        }
        if (event instanceof ProtocolEvent.CommitSent commit) {
            return commit.commit().encoded();
        }
        if (event instanceof ProtocolEvent.CheckpointSent checkpoint) {
            return checkpoint.checkpoint().encoded();
        }
        if (event instanceof ProtocolEvent.ViewChangeSent viewChange) {
            return viewChange.viewChange().encoded();
        }
        if (event instanceof ProtocolEvent.NewViewAccepted newView) {
            return newView.newView().encoded();
        }
        return Bytes.EMPTY;
    }

    /** The pre-prepare, prepare, commit, checkpoint, VIEW-CHANGE or NEW-VIEW of its own that {@code envelope} carries. */
    private Optional<Signed<? extends Signable>> ownVote(Envelope envelope) {
        Signed<? extends Signable> signed = envelope instanceof Envelope.PrePrepareEnvelope prePrepare
                ? prePrepare.prePrepare() : ((Envelope.MessageEnvelope) envelope).message();
        Signable body = signed.body();
        boolean vote = body instanceof PrePrepare || body instanceof Prepare || body instanceof Commit
                || body instanceof Checkpoint || body instanceof ViewChange || body instanceof NewView;
        return vote && ((ReplicaMessage) body).replicaId() == replicaId ? Optional.of(signed) : Optional.empty();
    }
}
