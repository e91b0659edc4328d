package io.concordat.replica;

import io.concordat.common.Bytes;
import io.concordat.common.Stages;
import io.concordat.endpoint.RequestHandler;
import io.concordat.endpoint.SubmitOutcome;
import java.util.concurrent.CompletionStage;

/**
 * Connects a node's {@link io.concordat.endpoint.ClientEndpoint} to its replica: each request goes to the
 * replica actor as a ClientSubmit, and the replica's answer becomes the endpoint's outcome. A replica that
 * does not answer within {@code concordat.replica.ask-timeout} fails the stage with a
 * {@link java.util.concurrent.TimeoutException}, which the endpoint reports as a timeout.
 */
final class ReplicaRequestHandler implements RequestHandler {
    private final ReplicaNode node;

    ReplicaRequestHandler(ReplicaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<SubmitOutcome> submit(Bytes requestEnvelope) {
        return node.submit(requestEnvelope).thenApplyAsync(ReplicaRequestHandler::toOutcome, Stages.COMPLETING_THREAD);
    }

    static SubmitOutcome toOutcome(ClientResponse response) {
        if (response instanceof ClientResponse.Replied replied) {
            return new SubmitOutcome.Replied(replied.replyEnvelope());
        }
        var rejected = (ClientResponse.Rejected) response;
        return new SubmitOutcome.Refused(refusalFor(rejected.reason()), rejected.detail());
    }

    private static SubmitOutcome.Refusal refusalFor(RejectionReason reason) {
        return switch (reason) {
            case MALFORMED -> SubmitOutcome.Refusal.MALFORMED;
            case OVERSIZED -> SubmitOutcome.Refusal.OVERSIZED;
            case BAD_SIGNATURE -> SubmitOutcome.Refusal.BAD_SIGNATURE;
            case STALE_REQUEST -> SubmitOutcome.Refusal.STALE_REQUEST;
            case OVERLOADED -> SubmitOutcome.Refusal.OVERLOADED;
            case NOT_A_CLIENT_REQUEST -> SubmitOutcome.Refusal.NOT_A_CLIENT_REQUEST;
            case REPLICA_HALTED -> SubmitOutcome.Refusal.UNAVAILABLE;
        };
    }
}
