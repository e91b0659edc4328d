package io.concordat.replica;

import io.concordat.protocol.Execution;
import io.concordat.protocol.Membership;

/**
 * Builds the {@link CommittedEntry} for each batch the core executes, from what the core hands over: the
 * whole agreed batch and the commit certificate it counted, every commit in it already verified by the
 * core. The certificate is complete (2f+1 commits) in the normal case; after a crash recovery the core
 * remembers only its own commit, and the entry says so through {@link CommitCertificate#isComplete()}.
 */
final class CommittedEntryAssembler {
    private final Membership membership;

    CommittedEntryAssembler(Membership membership) {
        this.membership = membership;
    }

    CommittedEntry assemble(Execution.ExecuteBatch executed) {
        var certificate = new CommitCertificate(executed.view(), executed.sequence(), executed.batchDigest(),
                executed.commitCertificate(), membership.quorum());
        return new CommittedEntry(executed.sequence(), executed.view(), executed.batch(), certificate);
    }
}
