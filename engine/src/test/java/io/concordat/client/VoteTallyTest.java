package io.concordat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Voting and the descriptions that go into error messages and fallback reasons. */
class VoteTallyTest {
    private static final Bytes RESULT = Bytes.ofUtf8("result");
    private static final Bytes OTHER = Bytes.ofUtf8("other");

    @Test
    void fPlusOneMatchingValidRepliesAgree() {
        var tally = new VoteTally(4, 2);
        tally.record(0, new ReplicaAnswer.Valid(RESULT));
        tally.record(1, new ReplicaAnswer.Valid(OTHER));
        assertEquals(Optional.empty(), tally.agreed());

        tally.record(3, new ReplicaAnswer.Valid(RESULT));

        assertEquals(Optional.of(RESULT), tally.agreed());
    }

    @Test
    void aReplicaVotesOnceEvenIfItAnswersAgainWithAnotherResult() {
        var tally = new VoteTally(4, 2);
        tally.record(0, new ReplicaAnswer.Valid(RESULT));
        tally.record(0, new ReplicaAnswer.Valid(OTHER));
        tally.record(1, new ReplicaAnswer.Valid(OTHER));

        assertEquals(Optional.empty(), tally.agreed());
        assertTrue(tally.hasValidReply(0));
    }

    @Test
    void aFailedAnswerIsReplacedByTheReplicasNextAnswerButAValidOneIsNot() {
        var tally = new VoteTally(4, 2);
        tally.record(2, new ReplicaAnswer.Unreachable("connection refused"));
        tally.record(2, new ReplicaAnswer.Valid(RESULT));
        tally.record(2, new ReplicaAnswer.Unreachable("connection refused"));

        assertTrue(tally.hasValidReply(2));
    }

    @Test
    void describesMatchingDifferentSilentAndFailedReplicas() {
        var tally = new VoteTally(4, 3);
        tally.record(0, new ReplicaAnswer.Valid(RESULT));
        tally.record(1, new ReplicaAnswer.BadAuthenticator());
        tally.record(2, new ReplicaAnswer.Valid(RESULT));

        assertEquals("2 matching replies of 3 needed (replicas [0,2]); replica 3 did not answer; "
                + "replica 1 sent a reply with a bad authenticator", tally.describe());

        tally.record(3, new ReplicaAnswer.Valid(OTHER));
        assertEquals("2 matching replies of 3 needed (replicas [0,2]); replica 3 sent a different result; "
                + "replica 1 sent a reply with a bad authenticator", tally.describe());
    }

    @Test
    void describesRefusalsAndInvalidRepliesWithTheirDetails() {
        var tally = new VoteTally(4, 2);
        tally.record(0, new ReplicaAnswer.Refused(504, "REPLY_TIMEOUT", "reply timeout"));
        tally.record(1, new ReplicaAnswer.Refused(504, "REPLY_TIMEOUT", "reply timeout"));
        tally.record(2, new ReplicaAnswer.InvalidReply("reply is for request 6"));
        tally.record(3, new ReplicaAnswer.BadAuthenticator());

        assertEquals("0 matching replies of 2 needed; replicas [0,1] answered 504 REPLY_TIMEOUT (reply timeout); "
                + "replica 2 sent an invalid reply (reply is for request 6); replica 3 sent a reply with a bad authenticator",
                tally.describe());
    }

    @Test
    void aReadOnlyTallyKnowsWhenTwoFPlusOneCanNoLongerBeReached() {
        var tally = new VoteTally(4, 3);
        tally.record(0, new ReplicaAnswer.Valid(RESULT));
        tally.record(1, new ReplicaAnswer.Valid(OTHER));
        assertTrue(tally.canStillAgree());

        tally.record(2, new ReplicaAnswer.Unreachable("connection refused"));

        assertFalse(tally.canStillAgree());
    }

    @Test
    void onlyFPlusOneMatchingPermanentRefusalsEndTheRequest() {
        var tally = new VoteTally(4, 2);
        tally.record(0, new ReplicaAnswer.Refused(409, "STALE_REQUEST", "stale request"));
        tally.record(1, new ReplicaAnswer.Refused(503, "OVERLOADED", "overloaded"));
        tally.record(2, new ReplicaAnswer.Refused(504, "REPLY_TIMEOUT", "reply timeout"));
        assertEquals(Optional.empty(), tally.permanentRefusal(2));

        tally.record(3, new ReplicaAnswer.Refused(409, "STALE_REQUEST", "stale request"));

        assertTrue(tally.permanentRefusal(2).isPresent());
    }
}
