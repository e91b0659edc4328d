package io.concordat.launcher;

import io.concordat.endpoint.ClientEndpoint;
import io.concordat.membership.PeerReachability;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.replica.ExecutedState;
import io.concordat.replica.ReplicaNode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's admin endpoint, for operators and tools; it is read-only.
 * <ul>
 *   <li>{@code GET /v1/status}: the replica's status as JSON ({@link StatusDocument}); 503 with
 *       {@code {"replicaId":N,"error":"..."}} while the replica does not answer (for example before the
 *       Pekko cluster has formed).</li>
 *   <li>{@code GET /v1/health}: 200 {@code {"status":"ok","replicaId":N}} while the endpoint is bound.</li>
 *   <li>{@code GET /metrics}: counters in the Prometheus text format ({@link PrometheusText}).</li>
 * </ul>
 * Bind it to an interface only operators reach: it tells anyone who asks how the replica is doing.
 */
public final class AdminEndpoint {
    public static final String STATUS_PATH = "/v1/status";
    public static final String HEALTH_PATH = "/v1/health";
    public static final String METRICS_PATH = "/metrics";
    /** How long a status request waits for the replica actor; shorter than any HTTP client's patience. */
    static final Duration STATUS_WAIT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(AdminEndpoint.class);
    private static final Duration UNBIND_DEADLINE = Duration.ofSeconds(3);

    private final ReplicaNode node;
    private final ClientEndpoint clientEndpoint;
    private final Materializer materializer;
    private volatile ServerBinding binding;

    private AdminEndpoint(ReplicaNode node, ClientEndpoint clientEndpoint) {
        this.node = node;
        this.clientEndpoint = clientEndpoint;
        this.materializer = Materializer.matFromSystem(node.system());
    }

    /** Binds the endpoint on {@code host:port} in the node's ActorSystem; fails if the port cannot be bound. */
    public static CompletionStage<AdminEndpoint> start(ReplicaNode node, ClientEndpoint clientEndpoint, String host,
            int port) {
        var endpoint = new AdminEndpoint(node, clientEndpoint);
        return Http.get(node.system()).newServerAt(host, port).bind(endpoint::handle).thenApply(bound -> {
            endpoint.binding = bound;
            LOG.atInfo().addKeyValue("replica", node.replicaId())
                    .log("admin endpoint listening on {}", bound.localAddress());
            return endpoint;
        });
    }

    public InetSocketAddress address() {
        return binding.localAddress();
    }

    public CompletionStage<Void> stop() {
        return binding.terminate(UNBIND_DEADLINE).thenApply(terminated -> null);
    }

    private CompletionStage<HttpResponse> handle(HttpRequest request) {
        request.discardEntityBytes(materializer);
        String path = request.getUri().path();
        boolean known = path.equals(STATUS_PATH) || path.equals(HEALTH_PATH) || path.equals(METRICS_PATH);
        if (!known) {
            return completed(text(404, "not found: " + path + "; the admin endpoint serves GET " + STATUS_PATH
                    + ", GET " + HEALTH_PATH + " and GET " + METRICS_PATH));
        }
        if (!request.method().equals(HttpMethods.GET)) {
            return completed(text(405, "method not allowed: " + request.method().name() + "; use GET")
                    .addHeader(Allow.create(HttpMethods.GET)));
        }
        try {
            if (path.equals(STATUS_PATH)) {
                return status();
            }
            if (path.equals(HEALTH_PATH)) {
                return completed(json(200, "{\"status\":\"ok\",\"replicaId\":" + node.replicaId() + "}"));
            }
            String metrics = PrometheusText.render(node.replicaId(), node.metrics().snapshot(),
                    clientEndpoint.errorCounts(), clientEndpoint.forwardedCount());
            return completed(HttpResponse.create().withStatus(200).withEntity(
                    ContentTypes.parse(PrometheusText.CONTENT_TYPE), metrics.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException unexpected) {
            LOG.atWarn().addKeyValue("replica", node.replicaId()).setCause(unexpected).log("admin request failed");
            return completed(text(500, "internal error: " + unexpected));
        }
    }

    private CompletionStage<HttpResponse> status() {
        CompletableFuture<ReplicaStatus> status = node.status().toCompletableFuture()
                .orTimeout(STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        CompletableFuture<Optional<ExecutedState>> executed = node.executedState().toCompletableFuture()
                .orTimeout(STATUS_WAIT.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(Optional::of)
                .exceptionally(failure -> Optional.empty());
        return status.thenCombine(executed, (replica, application) -> json(200,
                        StatusDocument.render(replica, application, peerReachability())))
                .exceptionally(failure -> json(503, StatusDocument.unavailable(node.replicaId(),
                        "the replica did not answer within " + STATUS_WAIT.toSeconds() + " s (the cluster may still"
                                + " be forming): " + rootMessage(failure))));
    }

    private Map<Integer, PeerReachability> peerReachability() {
        try {
            return node.peerReachability();
        } catch (RuntimeException stopping) {
            return Map.of();
        }
    }

    private static String rootMessage(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static HttpResponse json(int status, String body) {
        return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body);
    }

    private static HttpResponse text(int status, String body) {
        return HttpResponse.create().withStatus(status).withEntity(ContentTypes.TEXT_PLAIN_UTF8, body);
    }

    private static CompletionStage<HttpResponse> completed(HttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }
}
