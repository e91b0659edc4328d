package io.concordat.protocol.message;

import java.util.List;

/**
 * ⟨NEW-VIEW, v+1, V, O⟩ from PBFT §4.4: the primary of {@code view} proves the view change with 2f+1
 * VIEW-CHANGE messages (V) and re-proposes, as O, a pre-prepare for every sequence number between the
 * latest stable checkpoint in V and the highest prepared sequence number in V: the batch of the
 * highest-view certificate where one exists, the null batch where none does. Backups recompute O from V
 * and reject a NEW-VIEW whose O differs.
 */
public record NewView(long view, List<Signed<ViewChange>> viewChanges, List<Signed<PrePrepare>> prePrepares,
        int replicaId) implements ReplicaMessage {
    public NewView {
        viewChanges = List.copyOf(viewChanges);
        prePrepares = List.copyOf(prePrepares);
    }
}
