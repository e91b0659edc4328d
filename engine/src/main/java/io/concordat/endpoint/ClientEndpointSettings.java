package io.concordat.endpoint;

import java.time.Duration;
import java.util.Objects;

/**
 * How one node's client endpoint listens and what it accepts. Every value is checked here, and a bad one
 * fails with a message that names it.
 *
 * @param host the interface to bind, for example {@code 127.0.0.1} or {@code 0.0.0.0}
 * @param port the TCP port; 0 picks a free one ({@link ClientEndpoint#port()} tells which)
 * @param replicaId the replica this node hosts, reported by {@code GET /v1/health}
 * @param maxRequestBytes the largest request body accepted; a larger one gets 413 and is never decoded (a
 *     declared Content-Length is checked before any byte of the body is read, and a body declared up to eight
 *     times this is then read and dropped so that the client receives the 413; a chunked body is cut off as
 *     soon as it passes the limit)
 * @param maxOperationBytes the largest operation inside a request; should equal the core's
 *     {@code requestMaxBytes}
 * @param replyWait how long the endpoint holds a request open for the replica's reply before it answers 504
 * @param bodyReadTimeout how long a client may take to send its request body
 * @param maxInFlightRequests how many requests may wait for replies at once; more get 503 at once
 * @param verifySignatures whether the endpoint checks each request's signature before forwarding it, so a
 *     forged request gets 403 and never reaches the replica. The replica checks it again either way; turn
 *     this off only to save the second verification (about 100 µs of CPU per request)
 */
public record ClientEndpointSettings(
        String host,
        int port,
        int replicaId,
        int maxRequestBytes,
        int maxOperationBytes,
        Duration replyWait,
        Duration bodyReadTimeout,
        int maxInFlightRequests,
        boolean verifySignatures) {

    public static final int DEFAULT_MAX_REQUEST_BYTES = 128 * 1024;
    public static final int DEFAULT_MAX_OPERATION_BYTES = 64 * 1024;
    public static final Duration DEFAULT_REPLY_WAIT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_BODY_READ_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 1024;

    public ClientEndpointSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(replyWait, "replyWait");
        Objects.requireNonNull(bodyReadTimeout, "bodyReadTimeout");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
        }
        if (replicaId < 0) {
            throw new IllegalArgumentException("replicaId must be >= 0, got " + replicaId);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException("maxRequestBytes must be >= 1, got " + maxRequestBytes);
        }
        if (maxOperationBytes < 0 || maxOperationBytes > maxRequestBytes) {
            throw new IllegalArgumentException("maxOperationBytes must be between 0 and maxRequestBytes ("
                    + maxRequestBytes + "), got " + maxOperationBytes);
        }
        requirePositive("replyWait", replyWait);
        requirePositive("bodyReadTimeout", bodyReadTimeout);
        if (maxInFlightRequests < 1) {
            throw new IllegalArgumentException("maxInFlightRequests must be >= 1, got " + maxInFlightRequests);
        }
    }

    /** The defaults above, signature checks on, for replica {@code replicaId} on {@code host:port}. */
    public static ClientEndpointSettings defaults(String host, int port, int replicaId) {
        return new ClientEndpointSettings(host, port, replicaId, DEFAULT_MAX_REQUEST_BYTES,
                DEFAULT_MAX_OPERATION_BYTES, DEFAULT_REPLY_WAIT, DEFAULT_BODY_READ_TIMEOUT,
                DEFAULT_MAX_IN_FLIGHT_REQUESTS, true);
    }

    public ClientEndpointSettings withSizeLimits(int maxRequestBytes, int maxOperationBytes) {
        return new ClientEndpointSettings(host, port, replicaId, maxRequestBytes, maxOperationBytes, replyWait,
                bodyReadTimeout, maxInFlightRequests, verifySignatures);
    }

    public ClientEndpointSettings withReplyWait(Duration replyWait) {
        return new ClientEndpointSettings(host, port, replicaId, maxRequestBytes, maxOperationBytes, replyWait,
                bodyReadTimeout, maxInFlightRequests, verifySignatures);
    }

    public ClientEndpointSettings withMaxInFlightRequests(int maxInFlightRequests) {
        return new ClientEndpointSettings(host, port, replicaId, maxRequestBytes, maxOperationBytes, replyWait,
                bodyReadTimeout, maxInFlightRequests, verifySignatures);
    }

    public ClientEndpointSettings withVerifySignatures(boolean verifySignatures) {
        return new ClientEndpointSettings(host, port, replicaId, maxRequestBytes, maxOperationBytes, replyWait,
                bodyReadTimeout, maxInFlightRequests, verifySignatures);
    }

    private static void requirePositive(String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
