package io.concordat.replica;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Signed;
import java.util.List;
import java.util.Objects;

/**
 * Evidence that a batch was committed at a sequence number: the batch digest and view, and the signed
 * COMMIT messages from distinct replicas that match them (PBFT §4.2). With {@code quorum} (2f+1) of them
 * it is a full commit certificate that anyone holding the replicas' public keys can check; with fewer
 * (the batch arrived by some path where this replica did not see every commit) only the local replica
 * vouches for it.
 *
 * @param commits verified commits from distinct replicas, matching view, sequence and batch digest
 * @param quorum 2f+1 for the cluster
 */
public record CommitCertificate(long view, long sequence, Digest batchDigest, List<Signed<Commit>> commits,
        int quorum) {
    public CommitCertificate {
        Objects.requireNonNull(batchDigest, "batchDigest");
        commits = List.copyOf(commits);
    }

    /** True if it holds 2f+1 matching commits. */
    public boolean isComplete() {
        return commits.size() >= quorum;
    }
}
