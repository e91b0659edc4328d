package io.concordat.protocol;

import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Signed;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a replica that left a view still learns from it: batches that view committed, each proven by 2f+1
 * matching commits of one view (PBFT §4.2: committed(m, v, n) holds once 2f+1 replicas committed it, so every
 * later view keeps it, §4.4). A replica waiting for a NEW-VIEW takes no part in the view it left, as its
 * VIEW-CHANGE promised; it only executes what the others proved committed there. That is what brings back a
 * replica stranded alone in a later view: the others carry on in the old view, and without this it stays at
 * the sequence it had when it left until the next view change, whenever that comes, while its state ages
 * (the H2 crash campaign on CI: a replica restarted after all four were killed suspected the primary before it
 * caught up, and stayed 37 batches behind after the load stopped).
 *
 * <p>Bounded: only sequences in the watermark window above the last executed one, at most one commit per
 * sender and view for a sequence, and at most {@link #VIEWS_PER_SEQUENCE} views a sequence (the lowest go
 * first: the others' current view is the highest below this replica's).
 */
final class EarlierViewCommits {
    private static final int VIEWS_PER_SEQUENCE = 4;

    private final ReplicaContext context;
    /** Sequence, then view. */
    private final NavigableMap<Long, NavigableMap<Long, Candidate>> candidates = new TreeMap<>();

    /** One view's pre-prepared batch for a sequence, and the commits for it. */
    private static final class Candidate {
        private Signed<PrePrepare> prePrepare;
        private Batch batch;
        private final Map<Integer, Signed<Commit>> commits = new TreeMap<>();
    }

    /** A batch proven committed: execute it at {@code sequence()}. */
    record ProvenBatch(long view, long sequence, Signed<PrePrepare> prePrepare, Batch batch,
            java.util.List<Signed<Commit>> commits) {}

    EarlierViewCommits(ReplicaContext context) {
        this.context = context;
    }

    /** Whether a message of {@code messageView} is one to learn from rather than to drop as of another view. */
    boolean wanted(long messageView) {
        return !context.viewActive && messageView < context.view;
    }

    void onPrePrepare(Signed<PrePrepare> message, Batch batch) {
        PrePrepare body = message.body();
        if (context.dropped(message, ignoreForSequence(body.sequence()))) {
            return;
        }
        if (body.replicaId() != context.membership.primaryOf(body.view())) {
            context.drop(message, Rejection.of(DropReason.NOT_FROM_PRIMARY, "replica %d is not the primary of view %d",
                    body.replicaId(), body.view()));
            return;
        }
        if (!batch.digest().equals(body.batchDigest())) {
            context.drop(message, Rejection.of(DropReason.DIGEST_MISMATCH, "batch for %d does not hash to %s",
                    body.sequence(), body.batchDigest()));
            return;
        }
        Optional<Candidate> existing = find(body.sequence(), body.view());
        if (existing.map(candidate -> candidate.prePrepare != null).orElse(false)) {
            context.drop(message, Rejection.of(DropReason.DUPLICATE, "already have view %d's pre-prepare for %d",
                    body.view(), body.sequence()));
            return;
        }
        // The requests need no check of their own: 2f+1 commits for this digest mean f+1 correct replicas
        // checked them before they prepared.
        if (!context.verified(message)) {
            return;
        }
        Candidate candidate = candidateFor(body.sequence(), body.view());
        candidate.prePrepare = message;
        candidate.batch = batch;
    }

    void onCommit(Signed<Commit> message) {
        Commit body = message.body();
        if (context.dropped(message, ignoreForSequence(body.sequence()))) {
            return;
        }
        if (find(body.sequence(), body.view()).map(candidate -> candidate.commits.containsKey(body.replicaId()))
                .orElse(false)) {
            context.drop(message, Rejection.of(DropReason.DUPLICATE, "already have replica %d's commit of view %d for %d",
                    body.replicaId(), body.view(), body.sequence()));
            return;
        }
        if (!context.verified(message)) {
            return;
        }
        candidateFor(body.sequence(), body.view()).commits.put(body.replicaId(), message);
    }

    /** The batch proven committed at {@code sequence} in an earlier view, if this replica holds the proof. */
    Optional<ProvenBatch> proven(long sequence) {
        NavigableMap<Long, Candidate> byView = candidates.get(sequence);
        if (byView == null) {
            return Optional.empty();
        }
        int quorum = context.membership.quorum();
        for (Map.Entry<Long, Candidate> entry : byView.descendingMap().entrySet()) {
            Candidate candidate = entry.getValue();
            if (candidate.batch == null) {
                continue;
            }
            java.util.List<Signed<Commit>> matching = candidate.commits.values().stream()
                    .filter(commit -> commit.body().batchDigest().equals(candidate.prePrepare.body().batchDigest()))
                    .limit(quorum).toList();
            if (matching.size() == quorum) {
                return Optional.of(new ProvenBatch(entry.getKey(), sequence, candidate.prePrepare, candidate.batch,
                        matching));
            }
        }
        return Optional.empty();
    }

    /** Forgets every sequence up to {@code sequence}: executed, or below a stable checkpoint. */
    void discardUpTo(long sequence) {
        candidates.headMap(sequence, true).clear();
    }

    /** Forgets everything: the replica entered a view, and the NEW-VIEW carries what it needs. */
    void clear() {
        candidates.clear();
    }

    private Optional<Rejection> ignoreForSequence(long sequence) {
        if (sequence <= context.lastExecutedSequence()) {
            return Optional.of(Rejection.of(DropReason.OBSOLETE, "sequence %d is executed already", sequence));
        }
        if (sequence > context.highWatermark()) {
            return Optional.of(Rejection.of(DropReason.OUTSIDE_WATERMARKS, "sequence %d is above the high watermark %d",
                    sequence, context.highWatermark()));
        }
        return Optional.empty();
    }

    private Optional<Candidate> find(long sequence, long view) {
        return Optional.ofNullable(candidates.get(sequence)).map(byView -> byView.get(view));
    }

    private Candidate candidateFor(long sequence, long view) {
        NavigableMap<Long, Candidate> byView = candidates.computeIfAbsent(sequence, key -> new TreeMap<>());
        Candidate candidate = byView.computeIfAbsent(view, key -> new Candidate());
        while (byView.size() > VIEWS_PER_SEQUENCE) {
            byView.pollFirstEntry();
        }
        return candidate;
    }
}
