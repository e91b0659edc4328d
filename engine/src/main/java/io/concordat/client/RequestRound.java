package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.wire.ProtobufCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client request from first send to result (PBFT §4.1, read-only optimisation §5.1.3). It runs in
 * phases: a read starts with a read-only phase that needs 2f+1 matching replies and is sent once; if that
 * fails, the operation is ordered as a new request with the next request number. An ordered phase needs f+1
 * matching replies and is retransmitted (same number, same bytes), with doubling waits, to every replica
 * that has not sent a valid reply yet.
 *
 * <p>The fallback takes a new number rather than reusing the read-only one, so that every signed request
 * of a client has its own number and no replica can mistake a read-only reply for an ordered one.
 *
 * <p>Confined to the client's event loop: every method runs on {@link Context#loop()}.
 */
final class RequestRound {
    private static final Logger LOG = LoggerFactory.getLogger(RequestRound.class);

    /** What every round of one client shares. */
    record Context(BftClientSettings settings, ReplicaTransport transport, ReplyCheck replyCheck, MessageSigner signer,
            ProtobufCodec codec, ScheduledExecutorService loop) {}

    private final Context context;
    private final LongSupplier requestNumbers;
    private long requestNumber;
    private final Bytes operation;
    private final boolean read;
    private final CompletableFuture<ReadResult> outcome;
    private final Consumer<RequestRound> onFinished;
    private Optional<String> fallbackReason = Optional.empty();
    private Phase phase;
    private boolean finished;

    /** The replies of one signed request: read-only or ordered. */
    private final class Phase {
        final boolean readOnly;
        final Bytes envelope;
        final ReplyCheck.Expectation expectation;
        final VoteTally tally;
        final List<ReplicaTransport.Exchange> inFlight;
        int attempt;
        ScheduledFuture<?> timer;

        Phase(boolean readOnly) {
            this.readOnly = readOnly;
            var request = new ClientRequest(context.signer().signer().publicKey(), requestNumber, operation, readOnly);
            this.envelope = context.codec().encodeEnvelope(new Envelope.MessageEnvelope(context.signer().sign(request)));
            this.expectation = new ReplyCheck.Expectation(request.clientId(), requestNumber, readOnly);
            int replicaCount = context.settings().replicaCount();
            this.tally = new VoteTally(replicaCount,
                    readOnly ? context.settings().readOnlyQuorum() : context.settings().orderedQuorum());
            this.inFlight = new ArrayList<>(replicaCount);
            for (int replicaId = 0; replicaId < replicaCount; replicaId++) {
                inFlight.add(null);
            }
        }
    }

    /** @param requestNumbers hands out the client's next request number; called once per phase */
    RequestRound(Context context, LongSupplier requestNumbers, Bytes operation, boolean read,
            CompletableFuture<ReadResult> outcome, Consumer<RequestRound> onFinished) {
        this.context = context;
        this.requestNumbers = requestNumbers;
        this.operation = operation;
        this.read = read;
        this.outcome = outcome;
        this.onFinished = onFinished;
    }

    /** The number of the request now being sent; 0 before the round starts. */
    long requestNumber() {
        return requestNumber;
    }

    void start() {
        startPhase(read);
    }

    /** Ends the round with {@code failure} and abandons its exchanges; used when the client closes. */
    void abort(BftClientException failure) {
        if (!finished) {
            cancelExchanges(phase);
            finish(Optional.empty(), Optional.of(failure));
        }
    }

    private void startPhase(boolean readOnly) {
        requestNumber = requestNumbers.getAsLong();
        phase = new Phase(readOnly);
        phase.attempt = 1;
        sendToMissing(phase);
        Duration wait = readOnly ? context.settings().readOnlyTimeout() : context.settings().retransmissionDelay(1);
        phase.timer = schedule(phase, wait);
    }

    /** Sends to every replica that has neither a valid reply in this phase nor an exchange in flight. */
    private void sendToMissing(Phase current) {
        for (int replicaId = 0; replicaId < context.settings().replicaCount(); replicaId++) {
            if (current.tally.hasValidReply(replicaId) || current.inFlight.get(replicaId) != null) {
                continue;
            }
            int target = replicaId;
            var exchange = context.transport().send(target, current.envelope);
            current.inFlight.set(target, exchange);
            exchange.delivery().thenAccept(delivery -> onLoop(() -> onDelivery(current, target, delivery)));
        }
    }

    private void onDelivery(Phase answered, int replicaId, ReplicaTransport.Delivery delivery) {
        answered.inFlight.set(replicaId, null);
        if (finished || answered != phase) {
            // Decided already, or a reply to the request this round replaced: not worth a verification.
            return;
        }
        ReplicaAnswer answer = delivery instanceof ReplicaTransport.Delivery.ReplyBytes reply
                ? context.replyCheck().check(replicaId, reply.envelope(), answered.expectation)
                : ((ReplicaTransport.Delivery.Answered) delivery).answer();
        answered.tally.record(replicaId, answer);
        Optional<Bytes> agreed = answered.tally.agreed();
        if (agreed.isPresent()) {
            finish(agreed, Optional.empty());
        } else if (answered.readOnly && !answered.tally.canStillAgree()) {
            fallBack();
        } else if (!answered.readOnly) {
            answered.tally.permanentRefusal(context.settings().orderedQuorum()).ifPresent(description ->
                    finish(Optional.empty(), Optional.of(new BftClientException(BftClientException.Kind.REFUSED,
                            requestNumber, describeRequest() + " was refused: " + description))));
        }
    }

    private void onTimer(Phase expired) {
        if (finished || expired != phase) {
            return;
        }
        if (expired.readOnly) {
            fallBack();
            return;
        }
        if (expired.attempt >= context.settings().maxAttempts()) {
            finish(Optional.empty(), Optional.of(new BftClientException(BftClientException.Kind.TIMED_OUT,
                    requestNumber, describeRequest() + " timed out after " + expired.attempt
                            + (expired.attempt == 1 ? " attempt: " : " attempts: ") + expired.tally.describe())));
            return;
        }
        expired.attempt++;
        LOG.atDebug().addKeyValue("request", requestNumber).addKeyValue("attempt", expired.attempt)
                .log("retransmitting: {}", expired.tally.describe());
        sendToMissing(expired);
        expired.timer = schedule(expired, context.settings().retransmissionDelay(expired.attempt));
    }

    /** PBFT §5.1.3: without 2f+1 matching read-only replies, the request is sent again as an ordered one. */
    private void fallBack() {
        Phase readOnly = phase;
        readOnly.timer.cancel(false);
        String reason = "read-only request " + requestNumber + " got " + readOnly.tally.describe();
        fallbackReason = Optional.of(reason);
        LOG.atInfo().addKeyValue("request", requestNumber).log("falling back to an ordered request: {}", reason);
        startPhase(false);
    }

    private void finish(Optional<Bytes> result, Optional<BftClientException> failure) {
        finished = true;
        if (phase != null && phase.timer != null) {
            phase.timer.cancel(false);
        }
        if (result.isPresent()) {
            outcome.complete(fallbackReason.map(reason -> ReadResult.fallback(result.get(), reason))
                    .orElseGet(() -> ReadResult.fastPath(result.get())));
        } else {
            outcome.completeExceptionally(failure.orElseThrow());
        }
        onFinished.accept(this);
    }

    private String describeRequest() {
        return "request " + requestNumber + fallbackReason.map(reason -> " (ordered after " + reason + ")").orElse("");
    }

    private ScheduledFuture<?> schedule(Phase target, Duration delay) {
        return context.loop().schedule(() -> onTimer(target), delay.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void cancelExchanges(Phase target) {
        if (target != null) {
            target.inFlight.stream().filter(exchange -> exchange != null).forEach(exchange -> exchange.cancel().run());
        }
    }

    private void onLoop(Runnable task) {
        try {
            context.loop().execute(task);
        } catch (RejectedExecutionException closed) {
            // The client closed; the round was aborted already.
        }
    }
}
