package io.concordat.launcher;

import io.concordat.common.Bytes;
import io.concordat.endpoint.RequestHandler;
import io.concordat.endpoint.SubmitOutcome;
import io.concordat.replica.ClientResponse;
import io.concordat.replica.RejectionReason;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Connects a node's {@link io.concordat.endpoint.ClientEndpoint} to its replica: each request that passed
 * the endpoint's checks goes to {@code ReplicaNode.submit}, and the replica's answer becomes the endpoint's
 * outcome. A replica's rejection keeps its meaning (a stale request stays a 409, a halted replica is
 * unavailable, 503); a timeout passes through, and the endpoint turns it into 504.
 */
final class ReplicaRequestHandler implements RequestHandler {
    private final Function<Bytes, CompletionStage<ClientResponse>> replica;

    /** @param replica submits an envelope to the replica, for example {@code node::submit} */
    ReplicaRequestHandler(Function<Bytes, CompletionStage<ClientResponse>> replica) {
        this.replica = Objects.requireNonNull(replica, "replica");
    }

    @Override
    public CompletionStage<SubmitOutcome> submit(Bytes requestEnvelope) {
        return replica.apply(requestEnvelope).thenApply(ReplicaRequestHandler::toOutcome);
    }

    static SubmitOutcome toOutcome(ClientResponse response) {
        if (response instanceof ClientResponse.Replied replied) {
            return new SubmitOutcome.Replied(replied.replyEnvelope());
        }
        var rejected = (ClientResponse.Rejected) response;
        return new SubmitOutcome.Refused(refusalFor(rejected.reason()), rejected.detail());
    }

    static SubmitOutcome.Refusal refusalFor(RejectionReason reason) {
        switch (reason) {
            case MALFORMED: return SubmitOutcome.Refusal.MALFORMED;
            case OVERSIZED: return SubmitOutcome.Refusal.OVERSIZED;
            case BAD_SIGNATURE: return SubmitOutcome.Refusal.BAD_SIGNATURE;
            case STALE_REQUEST: return SubmitOutcome.Refusal.STALE_REQUEST;
            case OVERLOADED: return SubmitOutcome.Refusal.OVERLOADED;
            case NOT_A_CLIENT_REQUEST: return SubmitOutcome.Refusal.NOT_A_CLIENT_REQUEST;
            case REPLICA_HALTED: return SubmitOutcome.Refusal.UNAVAILABLE;
            default: throw new IllegalArgumentException("no refusal for " + reason);
        }
    }
}
