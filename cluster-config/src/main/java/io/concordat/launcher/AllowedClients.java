package io.concordat.launcher;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.endpoint.RequestHandler;
import io.concordat.endpoint.SubmitOutcome;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Enforces the cluster definition's {@code allowed-client-keys} at the client endpoint: a request from a
 * client not on the list is refused (403) before it reaches the replica. An empty list lets every client
 * with a valid signature in, and then this filter is not installed.
 *
 * <p>This keeps unlisted clients from submitting through correct replicas. It cannot stop a faulty primary
 * from ordering an unlisted client's request; that needs the protocol core to check the list when it
 * accepts a pre-prepare (docs/operations.md, "Allowed clients").
 */
final class AllowedClients implements RequestHandler {
    private final Set<PublicKey> allowed;
    private final RequestHandler replica;
    private final ProtobufCodec codec;

    AllowedClients(Set<PublicKey> allowed, RequestHandler replica, WireLimits limits) {
        this.allowed = Set.copyOf(allowed);
        this.replica = Objects.requireNonNull(replica, "replica");
        this.codec = new ProtobufCodec(limits);
    }

    /** {@code replica} itself when every client is allowed, else the filter in front of it. */
    static RequestHandler inFrontOf(RequestHandler replica, Set<PublicKey> allowed, WireLimits limits) {
        return allowed.isEmpty() ? replica : new AllowedClients(allowed, replica, limits);
    }

    @Override
    public CompletionStage<SubmitOutcome> submit(Bytes requestEnvelope) {
        DecodeResult decoded = codec.decodeEnvelope(requestEnvelope);
        // The endpoint decoded the body already; anything else here is passed on for the replica to refuse.
        if (decoded instanceof DecodeResult.Decoded envelope
                && envelope.envelope() instanceof Envelope.MessageEnvelope message
                && message.message().body() instanceof ClientRequest request
                && !allowed.contains(request.clientId())) {
            return CompletableFuture.completedFuture(new SubmitOutcome.Refused(SubmitOutcome.Refusal.BAD_SIGNATURE,
                    "client " + request.clientId().encoded().toHex() + " is not in the cluster definition's"
                            + " allowed-client-keys"));
        }
        return replica.submit(requestEnvelope);
    }
}
