package io.concordat.endpoint;

import io.concordat.common.Bytes;
import io.concordat.common.Stages;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.StreamFrames;
import io.concordat.wire.WireLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.Done;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpMethod;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.model.headers.RetryAfter;
import org.apache.pekko.http.javadsl.model.ws.WebSocketUpgrade;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.concurrent.duration.FiniteDuration;

/**
 * The HTTP endpoint through which clients reach one replica (docs/client-protocol.md).
 *
 * <ul>
 *   <li>{@code POST /v1/requests}: the body is a serialized {@code Envelope} holding one signed
 *       {@code ClientRequest}, content type {@code application/x-protobuf}. The answer is the replica's
 *       signed {@code Reply} envelope (200), or an error with a {@code Concordat-Error} header naming its
 *       {@link ErrorCode} and a plain-text body that says why.</li>
 *   <li>{@code GET /v1/stream}: the WebSocket that carries many requests at once ({@link ClientStream},
 *       {@link io.concordat.wire.StreamFrames}).</li>
 *   <li>{@code GET /v1/health} (or {@code HEAD}): 200 with {@code {"status":"ok","replicaId":N}} while the
 *       endpoint is bound.</li>
 * </ul>
 *
 * <p>Bad input is refused before it reaches the replica: a body over {@code maxRequestBytes} is refused
 * without being decoded (413; read and dropped up to a bound, so that the client receives the answer), then
 * the body must decode, hold a client request and carry a valid signature (400, 400, 403). Only then does the {@link RequestHandler} see it. HTTP/1.1 with keep-alive; one
 * connection serves many requests in turn.
 */
public final class ClientEndpoint implements AutoCloseable {
    public static final String REQUESTS_PATH = "/v1/requests";
    public static final String HEALTH_PATH = "/v1/health";
    public static final String ERROR_HEADER = "Concordat-Error";
    /** The media type of request and reply bodies. */
    public static final MediaType.Binary PROTOBUF = MediaTypes.applicationBinary("x-protobuf", false);

    private static final Logger LOG = LoggerFactory.getLogger(ClientEndpoint.class);
    private static final ContentType.Binary PROTOBUF_CONTENT_TYPE = ContentTypes.create(PROTOBUF);
    private static final Duration UNBIND_DEADLINE = Duration.ofSeconds(3);
    private static final Duration STREAM_KEEP_ALIVE = Duration.ofSeconds(15);
    /** How many times {@code maxRequestBytes} an oversized body may declare and still be read before the 413. */
    static final int OVERSIZED_DRAIN_FACTOR = 8;

    private final ClientEndpointSettings settings;
    private final RequestHandler handler;
    private final RequestScreening screening;
    private final Materializer materializer;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder forwarded = new LongAdder();
    private final Map<ErrorCode, LongAdder> errorCounts = new EnumMap<>(ErrorCode.class);
    private volatile ServerBinding binding;

    private ClientEndpoint(ClassicActorSystemProvider system, ClientEndpointSettings settings, RequestHandler handler,
            SignatureVerifier verifier) {
        this.settings = settings;
        this.handler = handler;
        var limits = new WireLimits(settings.maxRequestBytes(), settings.maxOperationBytes(),
                WireLimits.DEFAULT_MAX_BATCH_REQUESTS);
        this.screening = new RequestScreening(new ProtobufCodec(limits), verifier, settings.verifySignatures());
        this.materializer = Materializer.matFromSystem(system);
        for (ErrorCode code : ErrorCode.values()) {
            errorCounts.put(code, new LongAdder());
        }
    }

    /**
     * Binds the endpoint. The stage fails if the address cannot be bound.
     *
     * @param system the node's actor system, which runs the HTTP server
     */
    public static CompletionStage<ClientEndpoint> start(ClassicActorSystemProvider system,
            ClientEndpointSettings settings, RequestHandler handler) {
        return start(system, settings, handler, new Ed25519Verifier());
    }

    /**
     * Binds the endpoint, checking client signatures with {@code verifier}: a node passes its
     * {@code ReplicaNode.signatureVerifier()}, which remembers what verified so that its replica does not
     * verify the same request again.
     */
    public static CompletionStage<ClientEndpoint> start(ClassicActorSystemProvider system,
            ClientEndpointSettings settings, RequestHandler handler, SignatureVerifier verifier) {
        Objects.requireNonNull(system, "system");
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(verifier, "verifier");
        var endpoint = new ClientEndpoint(system, settings, handler, verifier);
        // Pekko's own request timeout must not cut in before the endpoint answers 504 itself.
        var serverTimeout = settings.replyWait().plus(settings.bodyReadTimeout()).plusSeconds(5);
        return Http.get(system).newServerAt(settings.host(), settings.port())
                .adaptSettings(server -> server
                        .withParserSettings(server.getParserSettings().withMaxContentLength(settings.maxRequestBytes()))
                        .withTimeouts(server.getTimeouts().withRequestTimeout(
                                FiniteDuration.create(serverTimeout.toMillis(), TimeUnit.MILLISECONDS)))
                        // A quiet stream is pinged, so the idle time-out ends only streams whose client is gone.
                        .withWebsocketSettings(server.getWebsocketSettings()
                                .withPeriodicKeepAliveMaxIdle(STREAM_KEEP_ALIVE)))
                .bind(endpoint::handle)
                .thenApply(bound -> {
                    endpoint.binding = bound;
                    LOG.atInfo().addKeyValue("replica", settings.replicaId())
                            .log("client endpoint listening on {}", bound.localAddress());
                    return endpoint;
                });
    }

    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** The bound port, which is the chosen one when the settings asked for port 0. */
    public int port() {
        return address().getPort();
    }

    /** The base URI clients use, for example {@code http://127.0.0.1:8400}. */
    public URI uri() {
        return URI.create("http://" + settings.host() + ":" + port());
    }

    public ClientEndpointSettings settings() {
        return settings;
    }

    /** How many requests passed the endpoint's checks and went to the handler. */
    public long forwardedCount() {
        return forwarded.sum();
    }

    /** How many times each error was answered, for metrics. */
    public Map<ErrorCode, Long> errorCounts() {
        Map<ErrorCode, Long> counts = new EnumMap<>(ErrorCode.class);
        errorCounts.forEach((code, count) -> counts.put(code, count.sum()));
        return counts;
    }

    /** Stops accepting connections and ends the open ones, waiting up to a few seconds for answers in flight. */
    public CompletionStage<Void> stop() {
        ServerBinding bound = binding;
        return bound.terminate(UNBIND_DEADLINE).thenApply(terminated -> null);
    }

    /** {@link #stop()}, waiting for it. */
    @Override
    public void close() {
        try {
            stop().toCompletableFuture().get(UNBIND_DEADLINE.toSeconds() * 2, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException failed) {
            LOG.warn("client endpoint on {} did not stop cleanly", address(), failed);
        }
    }

    // ---------------------------------------------------------------- routing

    private CompletionStage<HttpResponse> handle(HttpRequest request) {
        try {
            String path = request.getUri().path();
            HttpMethod method = request.method();
            if (path.equals(REQUESTS_PATH)) {
                return method.equals(HttpMethods.POST) ? onSubmit(request)
                        : completed(discard(request, methodNotAllowed(method, HttpMethods.POST)));
            }
            if (path.equals(StreamFrames.PATH)) {
                return completed(discard(request, method.equals(HttpMethods.GET) ? onStreamUpgrade(request)
                        : methodNotAllowed(method, HttpMethods.GET)));
            }
            if (path.equals(HEALTH_PATH)) {
                // HEAD is what load balancers and uptime checks often send; Pekko renders it without the body.
                boolean read = method.equals(HttpMethods.GET) || method.equals(HttpMethods.HEAD);
                return completed(discard(request, read ? health() : methodNotAllowed(method, HttpMethods.GET)));
            }
            return completed(discard(request, error(EndpointError.of(ErrorCode.NOT_FOUND,
                    "not found: %s; the endpoint serves POST %s, GET %s (WebSocket) and GET %s", path, REQUESTS_PATH,
                    StreamFrames.PATH, HEALTH_PATH))));
        } catch (RuntimeException unexpected) {
            LOG.error("client endpoint failed on a request", unexpected);
            return completed(error(EndpointError.of(ErrorCode.INTERNAL_ERROR, "internal error: %s", unexpected)));
        }
    }

    private CompletionStage<HttpResponse> onSubmit(HttpRequest request) {
        MediaType mediaType = request.entity().getContentType().mediaType();
        if (!mediaType.equals(PROTOBUF)) {
            return completed(discard(request, error(EndpointError.of(ErrorCode.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported media type: %s; send the Envelope as application/x-protobuf", mediaType))));
        }
        Optional<EndpointError> overloaded = admit();
        if (overloaded.isPresent()) {
            return completed(discard(request, error(overloaded.get())));
        }
        var declaredLength = request.entity().getContentLengthOption();
        if (declaredLength.isPresent() && declaredLength.getAsLong() > settings.maxRequestBytes()) {
            inFlight.decrementAndGet();
            return refuseOversized(request, declaredLength.getAsLong());
        }
        CompletionStage<HttpResponse> response;
        try {
            response = readBody(request.entity()).thenCompose(this::screenAndForward).thenApply(this::toResponse)
                    .exceptionally(failure -> error(bodyFailure(failure)));
        } catch (RuntimeException unexpected) {
            response = completed(error(EndpointError.of(ErrorCode.INTERNAL_ERROR, "internal error: %s", unexpected)));
        }
        return response.whenComplete((answer, failure) -> inFlight.decrementAndGet());
    }

    /**
     * One request that arrived on a stream: the same admission, checks and reply wait as {@code POST}, and an
     * answer that never fails.
     */
    CompletionStage<EndpointAnswer> onStreamRequest(Bytes envelope) {
        Optional<EndpointError> overloaded = admit();
        if (overloaded.isPresent()) {
            return CompletableFuture.completedFuture(failed(overloaded.get()));
        }
        CompletionStage<EndpointAnswer> answer;
        try {
            answer = screenAndForward(envelope);
        } catch (RuntimeException unexpected) {
            answer = CompletableFuture.completedFuture(
                    failed(EndpointError.of(ErrorCode.INTERNAL_ERROR, "internal error: %s", unexpected)));
        }
        return answer.whenComplete((answered, failure) -> inFlight.decrementAndGet());
    }

    /** {@code GET /v1/stream}: the WebSocket that carries many requests ({@link ClientStream}). */
    private HttpResponse onStreamUpgrade(HttpRequest request) {
        Optional<WebSocketUpgrade> upgrade = request.getAttribute(AttributeKeys.webSocketUpgrade);
        if (upgrade.isEmpty()) {
            return error(EndpointError.of(ErrorCode.UPGRADE_REQUIRED,
                    "upgrade required: %s is a WebSocket; send GET with Upgrade: websocket", StreamFrames.PATH));
        }
        return upgrade.get().handleMessagesWith(ClientStream.flow(this, settings, materializer));
    }

    /** Counts the request in; empty if it may go on (the caller then decrements {@code inFlight} once). */
    private Optional<EndpointError> admit() {
        if (inFlight.incrementAndGet() > settings.maxInFlightRequests()) {
            inFlight.decrementAndGet();
            return Optional.of(EndpointError.of(ErrorCode.OVERLOADED,
                    "overloaded: %d requests are waiting for replies at this endpoint; retry later",
                    settings.maxInFlightRequests()));
        }
        return Optional.empty();
    }

    /**
     * 413 for a body whose declared length is over the limit; it never reaches the decoder. Closing the
     * connection at once with the body unread would make the kernel reset it, and a client still writing its
     * body would then lose the 413 ("header parser received no bytes"). So a body of up to
     * {@link #OVERSIZED_DRAIN_FACTOR} times the limit is read and dropped first, within the body read time-out,
     * and the connection stays open; a larger one is refused at once and its connection closed.
     */
    private CompletionStage<HttpResponse> refuseOversized(HttpRequest request, long declaredBytes) {
        if (declaredBytes > (long) settings.maxRequestBytes() * OVERSIZED_DRAIN_FACTOR) {
            return completed(error(tooLarge()));
        }
        return request.entity().withoutSizeLimit().discardBytes(materializer).completionStage()
                .toCompletableFuture()
                .completeOnTimeout(Done.getInstance(), settings.bodyReadTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((drained, failure) -> error(tooLarge()));
    }

    /** Reads the body, cutting off a stream (a chunked body) as soon as it passes the limit. */
    private CompletionStage<Bytes> readBody(HttpEntity entity) {
        return entity.withSizeLimit(settings.maxRequestBytes())
                .toStrict(settings.bodyReadTimeout().toMillis(), materializer)
                .thenApplyAsync(strict -> Bytes.wrap(strict.getData().toArray()), Stages.COMPLETING_THREAD);
    }

    private CompletionStage<EndpointAnswer> screenAndForward(Bytes body) {
        var refusal = screening.screen(body);
        if (refusal.isPresent()) {
            return CompletableFuture.completedFuture(failed(refusal.get()));
        }
        forwarded.increment();
        CompletableFuture<SubmitOutcome> outcome = new CompletableFuture<>();
        try {
            handler.submit(body).whenComplete((answer, failure) -> {
                if (failure != null) {
                    outcome.completeExceptionally(failure);
                } else {
                    outcome.complete(answer);
                }
            });
        } catch (RuntimeException thrown) {
            outcome.completeExceptionally(thrown);
        }
        return outcome.orTimeout(settings.replyWait().toMillis(), TimeUnit.MILLISECONDS)
                .handle(this::toAnswer);
    }

    private EndpointAnswer toAnswer(SubmitOutcome outcome, Throwable failure) {
        if (failure != null) {
            Throwable cause = unwrap(failure);
            if (cause instanceof TimeoutException) {
                return failed(EndpointError.of(ErrorCode.REPLY_TIMEOUT,
                        "reply timeout: no reply within %d ms; retransmit the same request",
                        settings.replyWait().toMillis()));
            }
            LOG.warn("request handler failed", cause);
            return failed(EndpointError.of(ErrorCode.INTERNAL_ERROR, "internal error: the replica failed: %s", cause));
        }
        if (outcome instanceof SubmitOutcome.Replied replied) {
            return new EndpointAnswer.Replied(replied.replyEnvelope());
        }
        if (outcome instanceof SubmitOutcome.Refused refused) {
            String detail = refused.detail().isEmpty() ? "" : ": " + refused.detail();
            return failed(new EndpointError(ErrorCode.of(refused.refusal()), refused.refusal().label() + detail));
        }
        return failed(EndpointError.of(ErrorCode.INTERNAL_ERROR, "internal error: the replica answered nothing"));
    }

    private HttpResponse toResponse(EndpointAnswer answer) {
        if (answer instanceof EndpointAnswer.Replied replied) {
            return HttpResponse.create().withStatus(200)
                    .withEntity(PROTOBUF_CONTENT_TYPE, replied.replyEnvelope().unsafeArray());
        }
        return response(((EndpointAnswer.Failed) answer).error());
    }

    private EndpointError bodyFailure(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof EntityStreamSizeException) {
            return tooLarge();
        }
        if (cause instanceof TimeoutException) {
            return EndpointError.of(ErrorCode.BODY_TIMEOUT, "body timeout: the body did not arrive within %d ms",
                    settings.bodyReadTimeout().toMillis());
        }
        LOG.debug("could not read a request body", cause);
        return EndpointError.of(ErrorCode.MALFORMED, "malformed envelope: the body could not be read: %s",
                cause.getMessage());
    }

    // ---------------------------------------------------------------- responses

    private EndpointError tooLarge() {
        return EndpointError.of(ErrorCode.OVERSIZED, "too large: the body exceeds maxRequestBytes %d",
                settings.maxRequestBytes());
    }

    private HttpResponse health() {
        String json = "{\"status\":\"ok\",\"replicaId\":" + settings.replicaId() + "}";
        return HttpResponse.create().withStatus(200).withEntity(ContentTypes.APPLICATION_JSON, json);
    }

    private HttpResponse methodNotAllowed(HttpMethod used, HttpMethod allowed) {
        return error(EndpointError.of(ErrorCode.METHOD_NOT_ALLOWED, "method not allowed: %s; use %s",
                used.name(), allowed.name())).addHeader(Allow.create(allowed));
    }

    private HttpResponse error(EndpointError error) {
        count(error);
        return response(error);
    }

    /** Counts and logs a refusal, whichever way its answer travels. */
    EndpointAnswer.Failed failed(EndpointError error) {
        count(error);
        return new EndpointAnswer.Failed(error);
    }

    private void count(EndpointError error) {
        errorCounts.get(error.code()).increment();
        LOG.atDebug().addKeyValue("replica", settings.replicaId()).addKeyValue("error", error.code())
                .log("client request refused: {}", error.message());
    }

    /** The HTTP answer of an error that was counted already. */
    private static HttpResponse response(EndpointError error) {
        HttpResponse response = HttpResponse.create().withStatus(error.code().httpStatus())
                .addHeader(RawHeader.create(ERROR_HEADER, error.code().name()))
                .withEntity(ContentTypes.TEXT_PLAIN_UTF8, error.message());
        if (error.code().httpStatus() == 503) {
            response = response.addHeader(RetryAfter.create(1L));
        }
        return response;
    }

    private HttpResponse discard(HttpRequest request, HttpResponse response) {
        request.discardEntityBytes(materializer);
        return response;
    }

    private static CompletionStage<HttpResponse> completed(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
