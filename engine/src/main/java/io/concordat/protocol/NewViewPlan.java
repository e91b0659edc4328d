package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Checkpoint;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.PreparedCertificate;
import io.concordat.protocol.message.Signed;
import io.concordat.protocol.message.ViewChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a new view starts from, computed from a set V of valid VIEW-CHANGE messages exactly as PBFT §4.4
 * prescribes. The new primary computes it to build the NEW-VIEW and every backup computes it again to check
 * the NEW-VIEW: it is a pure function of V, so correct replicas always agree.
 *
 * <ul>
 *   <li>min-s, the latest stable checkpoint in V, with its proof;
 *   <li>max-s, the highest sequence number of any prepared certificate in V;
 *   <li>O: for each n in (min-s, max-s], a pre-prepare in the new view for the batch of the certificate
 *       for n from the highest view, or for the null batch if V holds no certificate for n.
 * </ul>
 *
 * Why this is safe: a batch committed at n in view v' was prepared by 2f+1 replicas, so any 2f+1 view
 * changes include at least one correct replica's certificate for n from view v' or later, and by induction
 * every later view re-proposed the same batch at n.
 */
record NewViewPlan(long view, long stableSequence, Digest stableDigest, List<Signed<Checkpoint>> checkpointProof,
        List<PrePrepare> prePrepares) {

    static NewViewPlan compute(long view, int primary, List<ViewChange> viewChanges) {
        Invariants.check(!viewChanges.isEmpty(), "a new view needs view changes");
        ViewChange latestStable = viewChanges.get(0);
        for (ViewChange viewChange : viewChanges) {
            if (viewChange.stableSequence() > latestStable.stableSequence()) {
                latestStable = viewChange;
            }
        }
        long minimum = latestStable.stableSequence();
        Map<Long, PreparedCertificate> highest = new TreeMap<>();
        for (ViewChange viewChange : viewChanges) {
            for (PreparedCertificate certificate : viewChange.preparedCertificates()) {
                if (certificate.sequence() <= minimum) {
                    continue;
                }
                highest.merge(certificate.sequence(), certificate, NewViewPlan::higherView);
            }
        }
        long maximum = highest.keySet().stream().mapToLong(Long::longValue).max().orElse(minimum);
        List<PrePrepare> prePrepares = new ArrayList<>();
        Digest nullDigest = Batch.NULL.digest();
        for (long sequence = minimum + 1; sequence <= maximum; sequence++) {
            PreparedCertificate certificate = highest.get(sequence);
            prePrepares.add(new PrePrepare(view, sequence, certificate == null ? nullDigest : certificate.batchDigest(),
                    primary));
        }
        return new NewViewPlan(view, minimum, latestStable.stableDigest(), latestStable.checkpointProof(), prePrepares);
    }

    /** The certificate from the higher view; between equal views (only possible beyond f faults) the lower digest. */
    private static PreparedCertificate higherView(PreparedCertificate first, PreparedCertificate second) {
        if (first.view() != second.view()) {
            return first.view() > second.view() ? first : second;
        }
        return first.batchDigest().compareTo(second.batchDigest()) <= 0 ? first : second;
    }

    long highestSequence() {
        return prePrepares.isEmpty() ? stableSequence : prePrepares.get(prePrepares.size() - 1).sequence();
    }
}
