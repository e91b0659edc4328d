package io.concordat.protocol;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import java.util.Optional;

/**
 * Client requests as they arrive (PBFT §4.1): size and signature checks, the reply cache for
 * retransmissions, stale request numbers, and the pending queue the primary batches from. Read-only
 * requests go straight to execution (§5.1.3).
 */
final class ClientRequestIntake {
    private final ReplicaContext context;

    ClientRequestIntake(ReplicaContext context) {
        this.context = context;
    }

    void onRequest(Signed<ClientRequest> request) {
        if (context.dropped(request, ignoreRequest(request))) {
            return;
        }
        ClientRequest body = request.body();
        if (body.readOnly()) {
            context.out.execute.add(new Execution.ExecuteReadOnly(request));
            return;
        }
        long lastExecuted = context.sessions.lastRequestNumber(body.clientId());
        if (body.requestNumber() == lastExecuted) {
            Optional<Signed<Reply>> cached = context.sessions.cachedReply(body.clientId(), body.requestNumber())
                    .or(() -> context.sessions.unsignedResult(body.clientId(), body.requestNumber())
                            .flatMap(result -> replyWithResult(body, result)));
            if (cached.isPresent()) {
                context.sendTo(new Destination.Client(body.clientId()), cached.get());
            } else {
                context.drop(request, Rejection.of(DropReason.DUPLICATE, "request %d is executing now", lastExecuted));
            }
            return;
        }
        if (body.requestNumber() <= context.orderedRequests.highest(body.clientId())) {
            context.drop(request, Rejection.of(DropReason.DUPLICATE, "request %d is already ordered",
                    body.requestNumber()));
            return;
        }
        switch (context.pendingRequests.add(request)) {
            case DUPLICATE -> context.drop(request, Rejection.of(DropReason.DUPLICATE, "request %d is already pending",
                    body.requestNumber()));
            case OLDER -> context.drop(request, Rejection.of(DropReason.STALE_REQUEST,
                    "a newer request of this client is pending"));
            case FULL -> context.drop(request, Rejection.of(DropReason.OVERLOADED, "%d requests are pending already",
                    context.pendingRequests.size()));
            default -> { }
        }
    }

    private Optional<Rejection> ignoreRequest(Signed<ClientRequest> request) {
        ClientRequest body = request.body();
        ProtocolConfiguration configuration = context.configuration;
        if (body.operation().size() > configuration.requestMaxBytes()) {
            return Optional.of(Rejection.of(DropReason.OVERSIZED, "operation of %d bytes exceeds requestMaxBytes %d",
                    body.operation().size(), configuration.requestMaxBytes()));
        }
        long lastExecuted = context.sessions.lastRequestNumber(body.clientId());
        if (!body.readOnly() && body.requestNumber() < lastExecuted) {
            return Optional.of(Rejection.of(DropReason.STALE_REQUEST, "request %d is older than the last executed %d",
                    body.requestNumber(), lastExecuted));
        }
        if (!context.verifier.verifyRequest(request)) {
            return Optional.of(Rejection.of(DropReason.BAD_SIGNATURE, "the request's signature does not verify"));
        }
        if (context.clientKeys.with(body.clientId()).isEmpty()) {
            return Optional.of(Rejection.of(DropReason.MALFORMED, "the client id shares no secret with this"
                    + " replica (a point of small order), so no reply to it could be authenticated"));
        }
        return Optional.empty();
    }

    /** Authenticates and records the reply of a result this replica knows but has no reply for yet. */
    private Optional<Signed<Reply>> replyWithResult(ClientRequest body, Bytes result) {
        Optional<Signed<Reply>> reply = context.reply(new Reply(context.view, body.clientId(), body.requestNumber(),
                result, false, context.replicaId));
        reply.ifPresent(authenticated -> context.sessions.recordReply(body.clientId(), result, authenticated));
        return reply;
    }

    void onReadOnlyExecuted(Input.ReadOnlyExecuted executed) {
        ClientRequest request = executed.request().body();
        context.reply(new Reply(context.view, request.clientId(), request.requestNumber(), executed.result(), true,
                context.replicaId)).ifPresent(reply -> context.sendTo(new Destination.Client(request.clientId()), reply));
    }
}
