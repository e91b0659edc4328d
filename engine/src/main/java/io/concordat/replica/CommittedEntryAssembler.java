package io.concordat.replica;

import io.concordat.crypto.Digest;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.protocol.Execution;
import io.concordat.protocol.Membership;
import io.concordat.protocol.ProtocolEvent;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the {@link CommittedEntry} for each batch the core executes: the batch from the pre-prepare the
 * core accepted (the null batch, or the executed requests, if it accepted none with that digest), and a
 * commit certificate from the COMMIT messages that arrived for that slot.
 *
 * <p>The core does not report the commits it counted (its {@code BatchCommitted} event carries only the
 * view, sequence and digest), so the shell keeps the commits it passes to the core and verifies the
 * matching ones once the batch executes: about 2f signature checks per batch, not per request. Memory is
 * bounded by the watermark window and a few commits per replica and slot.
 */
final class CommittedEntryAssembler {
    /** Commits kept per replica and slot: a faulty replica may send several different ones. */
    private static final int COMMITS_PER_REPLICA_AND_SLOT = 3;

    /** A batch from an accepted pre-prepare, and the sequence it was first proposed at (for pruning). */
    private record AcceptedBatch(long sequence, Batch batch) {}

    private final int replicaId;
    private final Membership membership;
    private final SignatureVerifier verifier;
    private final long watermarkWindow;
    /** By digest: after a view change the NEW-VIEW re-proposes a known batch without carrying it again. */
    private final Map<Digest, AcceptedBatch> acceptedBatches = new HashMap<>();
    private final NavigableMap<Long, Signed<Commit>> ownCommits = new TreeMap<>();
    private final NavigableMap<Long, Map<Integer, List<Signed<Commit>>>> peerCommits = new TreeMap<>();
    private long executedThrough;

    CommittedEntryAssembler(int replicaId, Membership membership, SignatureVerifier verifier, long watermarkWindow) {
        this.replicaId = replicaId;
        this.membership = membership;
        this.verifier = verifier;
        this.watermarkWindow = watermarkWindow;
    }

    /** A commit that arrived from a peer; not yet verified, so it only counts once its signature checks. */
    void observePeerCommit(Signed<Commit> commit) {
        Commit body = commit.body();
        if (body.replicaId() == replicaId || !membership.isMember(body.replicaId()) || !inWindow(body.sequence())) {
            return;
        }
        List<Signed<Commit>> fromSender = peerCommits.computeIfAbsent(body.sequence(), sequence -> new HashMap<>())
                .computeIfAbsent(body.replicaId(), sender -> new ArrayList<>(1));
        if (fromSender.size() < COMMITS_PER_REPLICA_AND_SLOT && !fromSender.contains(commit)) {
            fromSender.add(commit);
        }
    }

    /** The facts the core persisted in one step: accepted batches and this replica's own commits. */
    void observePersisted(List<ProtocolEvent> events) {
        for (ProtocolEvent event : events) {
            if (event instanceof ProtocolEvent.PrePrepareAccepted accepted) {
                acceptedBatches.putIfAbsent(accepted.prePrepare().body().batchDigest(),
                        new AcceptedBatch(accepted.prePrepare().body().sequence(), accepted.batch()));
            } else if (event instanceof ProtocolEvent.CommitSent sent) {
                ownCommits.put(sent.commit().body().sequence(), sent.commit());
            }
        }
    }

    /** The entry for a batch the core just had executed; forgets everything up to its sequence. */
    CommittedEntry assemble(Execution.ExecuteBatch executed) {
        long sequence = executed.sequence();
        Batch batch = Optional.ofNullable(acceptedBatches.remove(executed.batchDigest()))
                .map(AcceptedBatch::batch)
                .orElseGet(() -> new Batch(executed.requests()));
        var certificate = new CommitCertificate(executed.view(), sequence, executed.batchDigest(),
                matchingCommits(executed), membership.quorum());
        acceptedBatches.values().removeIf(accepted -> accepted.sequence() <= sequence);
        ownCommits.headMap(sequence, true).clear();
        peerCommits.headMap(sequence, true).clear();
        executedThrough = Math.max(executedThrough, sequence);
        return new CommittedEntry(sequence, executed.view(), batch, certificate);
    }

    private List<Signed<Commit>> matchingCommits(Execution.ExecuteBatch executed) {
        var certificate = new ArrayList<Signed<Commit>>(membership.quorum());
        Signed<Commit> own = ownCommits.get(executed.sequence());
        if (own != null && matches(own.body(), executed)) {
            certificate.add(own);
        }
        Map<Integer, List<Signed<Commit>>> bySender = peerCommits.getOrDefault(executed.sequence(), Map.of());
        for (int sender = 0; sender < membership.size() && certificate.size() < membership.quorum(); sender++) {
            for (Signed<Commit> commit : bySender.getOrDefault(sender, List.of())) {
                if (matches(commit.body(), executed) && verifies(commit)) {
                    certificate.add(commit);
                    break;
                }
            }
        }
        return certificate;
    }

    private static boolean matches(Commit commit, Execution.ExecuteBatch executed) {
        return commit.view() == executed.view() && commit.sequence() == executed.sequence()
                && commit.batchDigest().equals(executed.batchDigest());
    }

    private boolean verifies(Signed<Commit> commit) {
        PublicKey key = membership.keyOf(commit.body().replicaId()).orElseThrow();
        return verifier.verify(key, commit.encoded(), commit.signature());
    }

    private boolean inWindow(long sequence) {
        return sequence > executedThrough && sequence <= executedThrough + watermarkWindow;
    }
}
