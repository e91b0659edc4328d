package io.concordat.client;

import io.concordat.common.Bytes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The transport over {@code POST /v1/requests}: one HTTP/1.1 exchange per request and replica, with the JDK's
 * {@link HttpClient} and keep-alive. No dependency for embedders, and every HTTP tool can speak it; the
 * stream ({@link StreamReplicaTransport}) carries far more requests per connection. Thread-safe.
 */
final class HttpReplicaTransport implements ReplicaTransport {
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String ERROR_HEADER = "Concordat-Error";

    private final BftClientSettings settings;
    private final List<URI> requestUris;
    private final HttpClient http;

    HttpReplicaTransport(BftClientSettings settings, Executor executor) {
        this.settings = settings;
        this.requestUris = settings.replicas().stream().map(replica -> replica.resolve("/v1/requests")).toList();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor)
                .build();
    }

    @Override
    public Exchange send(int replicaId, Bytes envelope) {
        HttpRequest request = HttpRequest.newBuilder(requestUris.get(replicaId))
                .timeout(settings.exchangeTimeout())
                .header("Content-Type", PROTOBUF)
                .header("Accept", PROTOBUF)
                .POST(HttpRequest.BodyPublishers.ofByteArray(envelope.unsafeArray()))
                .build();
        try {
            CompletableFuture<HttpResponse<byte[]>> response =
                    http.sendAsync(request, LimitedBodySubscriber.handler(settings.wireLimits().maxEnvelopeBytes()));
            CompletableFuture<Delivery> delivery = response.handle((received, failure) -> failure != null
                    ? new Delivery.Answered(ReplicaAnswer.unreachable(failure, settings)) : delivery(received));
            return new Exchange(delivery, () -> response.cancel(true));
        } catch (RuntimeException refused) {
            return new Exchange(CompletableFuture.completedFuture(
                    new Delivery.Answered(ReplicaAnswer.unreachable(refused, settings))), () -> { });
        }
    }

    /** The HTTP client has no resources of its own beyond the executor, which its owner stops. */
    @Override
    public void close() {}

    private static Delivery delivery(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            return new Delivery.Answered(ReplicaAnswer.refused(response.statusCode(),
                    response.headers().firstValue(ERROR_HEADER).orElse(""),
                    new String(response.body(), StandardCharsets.UTF_8)));
        }
        return new Delivery.ReplyBytes(Bytes.wrap(response.body()));
    }
}
