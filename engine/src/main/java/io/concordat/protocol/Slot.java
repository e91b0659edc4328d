package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything one replica knows about one sequence number in the current view: the pre-prepare with its
 * batch, and the prepares and commits from each replica (at most one of each per sender; the first one
 * stands, so a replica that equivocates cannot count twice). PBFT §4.2.
 */
final class Slot {
    final long sequence;
    final long view;
    private Signed<PrePrepare> prePrepare;
    private Batch batch;
    /** Keyed by sender; sorted so that anything derived from it is deterministic. */
    final Map<Integer, Signed<Prepare>> prepares = new TreeMap<>();
    final Map<Integer, Signed<Commit>> commits = new TreeMap<>();
    private boolean commitSent;
    private boolean committed;

    Slot(long sequence, long view) {
        this.sequence = sequence;
        this.view = view;
    }

    Optional<Signed<PrePrepare>> prePrepare() {
        return Optional.ofNullable(prePrepare);
    }

    Optional<Batch> batch() {
        return Optional.ofNullable(batch);
    }

    Optional<Digest> batchDigest() {
        return prePrepare().map(signed -> signed.body().batchDigest());
    }

    /**
     * Accepts the pre-prepare for this slot. The batch may be missing when the pre-prepare came inside a
     * NEW-VIEW (PBFT §4.4) and this replica never saw the batch; it is attached when it arrives.
     */
    void acceptPrePrepare(Signed<PrePrepare> prePrepare, Optional<Batch> batch) {
        Invariants.check(this.prePrepare == null, "slot %d already has a pre-prepare", sequence);
        Invariants.check(prePrepare.body().sequence() == sequence && prePrepare.body().view() == view,
                "pre-prepare %s does not belong in slot (view %d, sequence %d)", prePrepare.body(), view, sequence);
        batch.ifPresent(value -> Invariants.check(value.digest().equals(prePrepare.body().batchDigest()),
                "batch does not match the pre-prepare for %d", sequence));
        this.prePrepare = prePrepare;
        this.batch = batch.orElse(null);
    }

    void attachBatch(Batch batch) {
        Invariants.check(prePrepare != null && this.batch == null, "slot %d does not wait for a batch", sequence);
        Invariants.check(batch.digest().equals(prePrepare.body().batchDigest()), "batch does not match slot %d", sequence);
        this.batch = batch;
    }

    /** Up to {@code limit} prepares that match the pre-prepare's digest, lowest replica ids first. */
    List<Signed<Prepare>> matchingPrepares(int limit) {
        return matching(prepares, limit, message -> message.body().batchDigest());
    }

    /** Up to {@code limit} commits that match the pre-prepare's digest, lowest replica ids first. */
    List<Signed<Commit>> matchingCommits(int limit) {
        return matching(commits, limit, message -> message.body().batchDigest());
    }

    private <T> List<T> matching(Map<Integer, T> bySender, int limit, java.util.function.Function<T, Digest> digestOf) {
        List<T> matching = new ArrayList<>();
        Optional<Digest> digest = batchDigest();
        for (T message : bySender.values()) {
            if (matching.size() < limit && digest.isPresent() && digestOf.apply(message).equals(digest.get())) {
                matching.add(message);
            }
        }
        return matching;
    }

    /** prepared(m, v, n, i): the pre-prepare plus 2f matching prepares from distinct backups (PBFT §4.2). */
    boolean isPrepared(int faultsTolerated) {
        return prePrepare != null && matchingPrepares(2 * faultsTolerated).size() == 2 * faultsTolerated;
    }

    /** committed-local(m, v, n, i): prepared plus 2f+1 matching commits, possibly including its own (PBFT §4.2). */
    boolean isCommittedLocal(int faultsTolerated) {
        return isPrepared(faultsTolerated) && matchingCommits(2 * faultsTolerated + 1).size() == 2 * faultsTolerated + 1;
    }

    boolean commitSent() {
        return commitSent;
    }

    void markCommitSent() {
        commitSent = true;
    }

    boolean committed() {
        return committed;
    }

    void markCommitted() {
        Invariants.check(prePrepare != null, "slot %d committed without a pre-prepare", sequence);
        committed = true;
    }
}
