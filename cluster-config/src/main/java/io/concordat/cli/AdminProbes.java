package io.concordat.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.concordat.launcher.AdminEndpoint;
import io.concordat.launcher.StatusDocument;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Asks replicas' admin endpoints for their status ({@code GET /v1/status}), all at once. A replica that
 * does not answer becomes {@link ReplicaProbe.Unreachable}, never an exception. Used by {@code status},
 * {@code up} and the process-level chaos tests.
 */
public final class AdminProbes implements AutoCloseable {
    /** A status body is a few hundred bytes; anything far larger is not one. */
    private static final int BODY_CHARACTERS_MAX = 64 * 1024;

    private final HttpClient http;
    private final Duration requestTimeout;

    /** {@code timeout} bounds connecting; a whole request may take 6 s longer. */
    public AdminProbes(Duration timeout) {
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
        this.requestTimeout = timeout.plus(Duration.ofSeconds(6));
    }

    public List<ReplicaProbe> probeAll(List<ClusterFile.Replica> replicas) {
        List<CompletableFuture<ReplicaProbe>> probes = new ArrayList<>();
        for (ClusterFile.Replica replica : replicas) {
            probes.add(probe(replica.id(), replica.adminEndpoint()));
        }
        List<ReplicaProbe> results = new ArrayList<>();
        for (CompletableFuture<ReplicaProbe> probe : probes) {
            results.add(probe.join());
        }
        return results;
    }

    public CompletableFuture<ReplicaProbe> probe(int replicaId, URI adminEndpoint) {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(adminEndpoint.resolve(AdminEndpoint.STATUS_PATH))
                    .timeout(requestTimeout).GET().build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new ReplicaProbe.Unreachable(replicaId,
                    "bad admin endpoint " + adminEndpoint + ": " + e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> fromResponse(replicaId, response.statusCode(), response.body()))
                .exceptionally(failure -> new ReplicaProbe.Unreachable(replicaId, describe(failure)));
    }

    static ReplicaProbe fromResponse(int replicaId, int statusCode, String body) {
        if (body.length() > BODY_CHARACTERS_MAX) {
            return new ReplicaProbe.NotServing(replicaId, "HTTP " + statusCode + " with an oversized body");
        }
        Config document;
        try {
            document = ConfigFactory.parseString(body, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
        } catch (ConfigException e) {
            return new ReplicaProbe.NotServing(replicaId, "HTTP " + statusCode + ", not a status document");
        }
        if (statusCode != 200) {
            String reason = document.hasPath(StatusDocument.ERROR) ? document.getString(StatusDocument.ERROR)
                    : "HTTP " + statusCode;
            return new ReplicaProbe.NotServing(replicaId, reason);
        }
        try {
            int answeredId = document.getInt(StatusDocument.REPLICA_ID);
            if (answeredId != replicaId) {
                return new ReplicaProbe.NotServing(replicaId, "the endpoint answered as replica " + answeredId);
            }
            return new ReplicaProbe.Serving(replicaId, document.getLong(StatusDocument.VIEW),
                    document.getInt(StatusDocument.PRIMARY), document.getLong(StatusDocument.LAST_EXECUTED_SEQUENCE),
                    document.getLong(StatusDocument.LOW_WATERMARK), document.getLong(StatusDocument.HIGH_WATERMARK),
                    optionalString(document, StatusDocument.STABLE_CHECKPOINT_DIGEST),
                    document.getInt(StatusDocument.PENDING_REQUESTS),
                    optionalString(document, StatusDocument.APPLICATION_STATE + "." + StatusDocument.DIGEST),
                    optionalLong(document, StatusDocument.APPLICATION_STATE + "." + StatusDocument.SEQUENCE));
        } catch (ConfigException e) {
            return new ReplicaProbe.NotServing(replicaId, "incomplete status document: " + e.getMessage());
        }
    }

    private static Optional<String> optionalString(Config document, String path) {
        return document.hasPath(path) ? Optional.of(document.getString(path)) : Optional.empty();
    }

    private static OptionalLong optionalLong(Config document, String path) {
        return document.hasPath(path) ? OptionalLong.of(document.getLong(path)) : OptionalLong.empty();
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out";
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer in time";
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        if (cause instanceof IOException) {
            return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
        return cause.toString();
    }

    @Override
    public void close() {
        // java.net.http.HttpClient has no close() before Java 21; its threads are daemons.
    }
}
