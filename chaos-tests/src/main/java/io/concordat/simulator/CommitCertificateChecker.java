package io.concordat.simulator;

import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.protocol.Execution;
import io.concordat.protocol.Membership;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Checks, independently of the core, what a correct replica hands out for execution (PBFT §4.2): the
 * batch hashes to the committed digest, and every COMMIT in the certificate the core says it counted is
 * for this sequence number and digest, from a distinct member, with a signature that verifies against
 * that member's key. The certificate may be short after recovery or a view change, so its size is not
 * judged; a forged or mismatched commit in it is.
 */
final class CommitCertificateChecker {
    private static final int REPORTED_MAX = 5;

    private final int replicaId;
    private final Membership membership;
    private final SignatureVerifier verifier;
    private final List<String> violations = new ArrayList<>();

    CommitCertificateChecker(int replicaId, Membership membership, SignatureVerifier verifier) {
        this.replicaId = replicaId;
        this.membership = membership;
        this.verifier = verifier;
    }

    void check(Execution.ExecuteBatch execution, long tick) {
        if (!execution.batch().digest().equals(execution.batchDigest())) {
            report("the batch executed at sequence " + execution.sequence() + " does not hash to its digest "
                    + execution.batchDigest(), tick);
        }
        Set<Integer> signers = new HashSet<>();
        for (Signed<Commit> commit : execution.commitCertificate()) {
            Commit body = commit.body();
            Optional<PublicKey> key = membership.keyOf(body.replicaId());
            if (body.sequence() != execution.sequence() || !body.batchDigest().equals(execution.batchDigest())) {
                report("the certificate for sequence " + execution.sequence() + " holds " + body, tick);
            } else if (!signers.add(body.replicaId())) {
                report("the certificate for sequence " + execution.sequence() + " counts replica " + body.replicaId()
                        + " twice", tick);
            } else if (key.isEmpty() || !verifier.verify(key.get(), commit.encoded(), commit.signature())) {
                report("the certificate for sequence " + execution.sequence() + " holds a commit of replica "
                        + body.replicaId() + " whose signature does not verify", tick);
            }
        }
    }

    List<String> violations() {
        return List.copyOf(violations);
    }

    private void report(String problem, long tick) {
        if (violations.size() < REPORTED_MAX) {
            violations.add("commit certificate: replica " + replicaId + " at tick " + tick + ": " + problem);
        }
    }
}
