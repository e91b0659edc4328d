package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.Execution;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.Commit;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The commit-certificate checker passes a sound certificate and fails each kind of broken one. */
class CommitCertificateCheckerTest {
    private final ProtobufCodec codec = new ProtobufCodec(WireLimits.defaults());
    private final List<MessageSigner> signers = new ArrayList<>();
    private final Membership membership;
    private final Batch batch = Batch.NULL;

    CommitCertificateCheckerTest() {
        List<PublicKey> keys = new ArrayList<>();
        for (int replica = 0; replica < 4; replica++) {
            byte[] seed = new byte[32];
            seed[31] = (byte) (replica + 7);
            Ed25519KeyPair pair = Ed25519KeyPair.fromSeed(Bytes.wrap(seed));
            signers.add(new MessageSigner(pair.signer(), codec));
            keys.add(pair.publicKey());
        }
        membership = new Membership(1, keys);
    }

    @Test
    void aSoundCertificatePasses() {
        assertEquals(List.of(), check(List.of(commit(0, 0, 5), commit(1, 1, 5), commit(2, 2, 5)), batch));
    }

    @Test
    void aCommitSignedWithAnotherReplicasKeyFails() {
        List<String> violations = check(List.of(commit(0, 0, 5), commit(1, 3, 5), commit(2, 2, 5)), batch);
        assertEquals(1, violations.size(), violations::toString);
        assertTrue(violations.get(0).contains("does not verify"), violations::toString);
    }

    @Test
    void aCommitForAnotherSequenceOrACountedTwiceSignerFails() {
        assertEquals(1, check(List.of(commit(0, 0, 5), commit(1, 1, 6)), batch).size());
        assertEquals(1, check(List.of(commit(0, 0, 5), commit(0, 0, 5)), batch).size());
    }

    @Test
    void aBatchThatDoesNotHashToTheDigestFails() {
        Execution.ExecuteBatch execution = new Execution.ExecuteBatch(5, 0, Sha256.of(Bytes.ofUtf8("another batch")),
                batch, List.of(), List.of(), false);
        CommitCertificateChecker checker = new CommitCertificateChecker(3, membership, new Ed25519Verifier());
        checker.check(execution, 1);
        assertEquals(1, checker.violations().size(), checker.violations()::toString);
    }

    private List<String> check(List<Signed<Commit>> certificate, Batch executed) {
        CommitCertificateChecker checker = new CommitCertificateChecker(3, membership, new Ed25519Verifier());
        checker.check(new Execution.ExecuteBatch(5, 0, executed.digest(), executed, List.of(), certificate, false), 1);
        return checker.violations();
    }

    /** A commit for {@code sequence} claiming {@code claimedReplica}, signed by {@code signingReplica}. */
    private Signed<Commit> commit(int signingReplica, int claimedReplica, long sequence) {
        return signers.get(signingReplica).sign(new Commit(0, sequence, batch.digest(), claimedReplica));
    }
}
