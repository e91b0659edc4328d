package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * Sends one request envelope to one replica's endpoint and turns whatever comes back into a checked
 * {@link ReplicaAnswer}: the reply must decode, be a {@code Reply} signed by that very replica (its key from
 * the settings), and name this client, this request number and the expected kind. The returned stage never
 * fails. Thread-safe.
 *
 * <p>It uses the JDK's {@link HttpClient} over HTTP/1.1 with keep-alive: no dependency for embedders, and
 * the client has at most one exchange per replica in flight, so HTTP/2 multiplexing would buy nothing.
 */
final class ReplicaTransport {
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String ERROR_HEADER = "Concordat-Error";
    private static final int ERROR_DETAIL_MAX_CHARACTERS = 300;

    /** What a valid reply must name. */
    record Expectation(PublicKey clientId, long requestNumber, boolean readOnly) {}

    /** One exchange in flight: its checked answer, and a way to abandon it. */
    record Exchange(CompletableFuture<ReplicaAnswer> answer, Runnable cancel) {}

    private final BftClientSettings settings;
    private final List<URI> requestUris;
    private final ProtobufCodec codec;
    private final SignatureVerifier verifier;
    private final HttpClient http;

    ReplicaTransport(BftClientSettings settings, ProtobufCodec codec, SignatureVerifier verifier, Executor executor) {
        this.settings = settings;
        this.codec = codec;
        this.verifier = verifier;
        this.requestUris = settings.replicas().stream().map(replica -> requestUri(replica.endpoint())).toList();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    Exchange send(int replicaId, Bytes envelope, Expectation expected) {
        HttpRequest request = HttpRequest.newBuilder(requestUris.get(replicaId))
                .timeout(settings.exchangeTimeout())
                .header("Content-Type", PROTOBUF)
                .header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope.unsafeArray()))
                .build();
        try {
            CompletableFuture<HttpResponse<byte[]>> response =
                    http.sendAsync(request, LimitedBodySubscriber.handler(settings.wireLimits().maxEnvelopeBytes()));
            CompletableFuture<ReplicaAnswer> answer = response.handle((received, failure) ->
                    failure != null ? unreachable(failure) : answer(replicaId, received, expected));
            return new Exchange(answer, () -> response.cancel(true));
        } catch (RuntimeException refused) {
            return new Exchange(CompletableFuture.completedFuture(unreachable(refused)), () -> { });
        }
    }

    private ReplicaAnswer answer(int replicaId, HttpResponse<byte[]> response, Expectation expected) {
        if (response.statusCode() != 200) {
            String detail = new String(response.body(), StandardCharsets.UTF_8);
            if (detail.length() > ERROR_DETAIL_MAX_CHARACTERS) {
                detail = detail.substring(0, ERROR_DETAIL_MAX_CHARACTERS) + "...";
            }
            return new ReplicaAnswer.Refused(response.statusCode(),
                    response.headers().firstValue(ERROR_HEADER).orElse(""), detail);
        }
        return checkReply(replicaId, Bytes.wrap(response.body()), expected);
    }

    /** Every check a reply must pass before it counts as a vote. Never throws. */
    ReplicaAnswer checkReply(int replicaId, Bytes body, Expectation expected) {
        DecodeResult decoded = codec.decodeEnvelope(body);
        if (decoded instanceof DecodeResult.Rejected rejected) {
            return new ReplicaAnswer.InvalidReply("undecodable: " + rejected.error() + ": " + rejected.detail());
        }
        Envelope envelope = ((DecodeResult.Decoded) decoded).envelope();
        if (!(envelope instanceof Envelope.MessageEnvelope single && single.message().body() instanceof Reply)) {
            return new ReplicaAnswer.InvalidReply("not a Reply envelope");
        }
        @SuppressWarnings("unchecked")
        Signed<Reply> signed = (Signed<Reply>) single.message();
        Reply reply = signed.body();
        if (reply.replicaId() != replicaId) {
            return new ReplicaAnswer.InvalidReply("reply names replica " + reply.replicaId());
        }
        PublicKey key = settings.replicas().get(replicaId).publicKey();
        if (!verifier.verify(key, signed.encoded(), signed.signature())) {
            return new ReplicaAnswer.BadSignature();
        }
        if (!reply.clientId().equals(expected.clientId())) {
            return new ReplicaAnswer.InvalidReply("reply is for another client");
        }
        if (reply.requestNumber() != expected.requestNumber()) {
            return new ReplicaAnswer.InvalidReply("reply is for request " + reply.requestNumber());
        }
        if (reply.readOnly() != expected.readOnly()) {
            return new ReplicaAnswer.InvalidReply(reply.readOnly() ? "a read-only reply to an ordered request"
                    : "an ordered reply to a read-only request");
        }
        return new ReplicaAnswer.Valid(reply.result());
    }

    private ReplicaAnswer unreachable(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new ReplicaAnswer.Unreachable("no connection within " + settings.connectTimeout().toMillis() + " ms");
        }
        if (cause instanceof HttpTimeoutException) {
            return new ReplicaAnswer.Unreachable("no answer within " + settings.exchangeTimeout().toMillis() + " ms");
        }
        if (cause instanceof ConnectException) {
            return new ReplicaAnswer.Unreachable("connection refused");
        }
        String message = cause.getMessage();
        return new ReplicaAnswer.Unreachable(cause.getClass().getSimpleName() + (message == null ? "" : ": " + message));
    }

    private static URI requestUri(URI endpoint) {
        String base = endpoint.toString();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return URI.create(base + "/v1/requests");
    }
}
