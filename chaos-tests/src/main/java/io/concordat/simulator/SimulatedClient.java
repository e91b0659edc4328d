package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.protocol.Membership;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signable;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.ProtobufCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * A PBFT client (§4.1): one outstanding request at a time, request numbers 1, 2, 3..., each request
 * signed and sent to every replica, the result accepted once f+1 replicas sent matching validly signed
 * replies, the request sent again to every replica whenever a retransmission timeout passes.
 */
final class SimulatedClient {

    /** Where the client's messages go. */
    interface Outbox {
        void sendToReplica(int replicaId, Bytes payload);
    }

    /** The request in progress: its signed encoding and the first reply from each replica. */
    private static final class Outstanding {
        final int operationIndex;
        final long requestNumber;
        final Bytes payload;
        long lastSentTick;
        final Map<Integer, Bytes> resultByReplica = new TreeMap<>();

        Outstanding(int operationIndex, long requestNumber, Bytes payload, long lastSentTick) {
            this.operationIndex = operationIndex;
            this.requestNumber = requestNumber;
            this.payload = payload;
            this.lastSentTick = lastSentTick;
        }
    }

    private final int clientIndex;
    private final MessageSigner signer;
    private final Membership membership;
    /** The keys this client shares with the replicas, which authenticate their replies. */
    private final PairwiseKeys replicaKeys;
    private final ProtobufCodec codec;
    private final OperationGenerator generator;
    private final SplittableRandom random;
    private final ClientSettings settings;
    private final LongSupplier eventOrder;
    private final Trace trace;
    private final List<ClientOperation> operations = new ArrayList<>();
    private Optional<Outstanding> outstanding = Optional.empty();
    private long nextInvocationTick;
    private long retransmissions;
    private long repliesRejected;

    /** The settings a client takes from the run's parameters. */
    record ClientSettings(int operationsTotal, int retransmitTicks, int thinkTicksMax) {}

    SimulatedClient(int clientIndex, MessageSigner signer, Membership membership,
            ProtobufCodec codec, OperationGenerator generator, SplittableRandom random, ClientSettings settings,
            LongSupplier eventOrder, Trace trace) {
        this.clientIndex = clientIndex;
        this.signer = signer;
        this.membership = membership;
        this.replicaKeys = PairwiseKeys.ofClient(signer.signer());
        this.codec = codec;
        this.generator = generator;
        this.random = random;
        this.settings = settings;
        this.eventOrder = eventOrder;
        this.trace = trace;
        this.nextInvocationTick = random.nextInt(settings.thinkTicksMax() + 1);
    }

    PublicKey clientId() {
        return signer.signer().publicKey();
    }

    /** Starts the next operation when its time has come, or retransmits the outstanding one. */
    void tick(long now, Outbox outbox) {
        if (outstanding.isPresent()) {
            Outstanding request = outstanding.get();
            if (now - request.lastSentTick >= settings.retransmitTicks()) {
                request.lastSentTick = now;
                retransmissions++;
                trace.event(now, "client " + clientIndex + " retransmits request " + request.requestNumber);
                sendToAll(request.payload, outbox);
            }
            return;
        }
        if (operations.size() < settings.operationsTotal() && now >= nextInvocationTick) {
            invoke(now, outbox);
        }
    }

    /** Counts a reply towards the outstanding request if it is for it and validly signed; ignores anything else. */
    void receive(Envelope envelope, long now) {
        Optional<Reply> reply = replyFor(envelope);
        if (reply.isEmpty() || outstanding.isEmpty()) {
            return;
        }
        Outstanding request = outstanding.get();
        request.resultByReplica.putIfAbsent(reply.get().replicaId(), reply.get().result());
        long matching = request.resultByReplica.values().stream().filter(reply.get().result()::equals).count();
        if (matching >= membership.weakQuorum()) {
            complete(request, reply.get().result(), now);
        }
    }

    boolean isFinished() {
        return operations.size() == settings.operationsTotal() && outstanding.isEmpty();
    }

    List<ClientOperation> operations() {
        return List.copyOf(operations);
    }

    long retransmissions() {
        return retransmissions;
    }

    long repliesRejected() {
        return repliesRejected;
    }

    private void invoke(long now, Outbox outbox) {
        long requestNumber = operations.size() + 1L;
        Bytes operation = generator.next();
        Signed<ClientRequest> request = signer.sign(new ClientRequest(clientId(), requestNumber, operation, false));
        Bytes payload = codec.encodeEnvelope(new Envelope.MessageEnvelope(request));
        operations.add(ClientOperation.invoked(clientIndex, clientId(), requestNumber, operation, now,
                eventOrder.getAsLong()));
        outstanding = Optional.of(new Outstanding(operations.size() - 1, requestNumber, payload, now));
        trace.event(now, "client " + clientIndex + " invokes request " + requestNumber);
        sendToAll(payload, outbox);
    }

    private void complete(Outstanding request, Bytes result, long now) {
        ClientOperation operation = operations.get(request.operationIndex);
        operations.set(request.operationIndex, operation.completed(now, eventOrder.getAsLong(), result));
        outstanding = Optional.empty();
        nextInvocationTick = now + random.nextInt(settings.thinkTicksMax() + 1);
        trace.event(now, "client " + clientIndex + " accepts request " + request.requestNumber + " result " + result);
    }

    private void sendToAll(Bytes payload, Outbox outbox) {
        for (int replica = 0; replica < membership.size(); replica++) {
            outbox.sendToReplica(replica, payload);
        }
    }

    /** The reply in {@code envelope} if it answers the outstanding request and its authenticator checks. */
    private Optional<Reply> replyFor(Envelope envelope) {
        if (!(envelope instanceof Envelope.MessageEnvelope message) || !(message.message().body() instanceof Reply reply)) {
            repliesRejected++;
            return Optional.empty();
        }
        if (outstanding.isEmpty() || reply.requestNumber() != outstanding.get().requestNumber
                || !reply.clientId().equals(clientId()) || reply.readOnly()) {
            return Optional.empty();
        }
        Signed<? extends Signable> signed = message.message();
        Optional<PublicKey> replicaKey = membership.keyOf(reply.replicaId());
        boolean authentic = replicaKey.flatMap(replicaKeys::with)
                .map(shared -> shared.checkReply(signed.encoded(), signed.signature())).orElse(false);
        if (!authentic) {
            repliesRejected++;
            return Optional.empty();
        }
        return Optional.of(reply);
    }
}
