package io.concordat.client;

import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PublicKey;
import io.concordat.wire.WireLimits;
import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a {@link BftClient} needs: the replicas (id, endpoint, public key), f, the client's key pair
 * and the timing. Built with {@link #builder()}; {@link Builder#build()} checks every value and names the
 * one that is wrong.
 *
 * <p>Timing (docs/client-protocol.md, "Retransmission"): attempt k of an ordered request waits
 * {@code min(initialRetransmissionDelay * 2^(k-1), maxRetransmissionDelay)} for f+1 matching replies, then
 * retransmits to every replica that has not yet sent a valid reply; after {@code maxAttempts} attempts the
 * request fails. A read-only request waits up to {@code readOnlyTimeout} for 2f+1 matching replies before
 * it falls back to an ordered request. Each exchange (one request to one replica) is abandoned after
 * {@code exchangeTimeout}, which should exceed the endpoints' reply wait.
 */
public final class BftClientSettings {

    /** How requests travel to the replicas' client endpoints (docs/client-protocol.md). */
    public enum Transport {
        /** One WebSocket per replica ({@code GET /v1/stream}) carries every request of the client. */
        STREAM,
        /** One {@code POST /v1/requests} exchange per request and replica. */
        HTTP
    }

    /** One replica as the client sees it. */
    public record Replica(int replicaId, URI endpoint, PublicKey publicKey) {
        public Replica {
            Objects.requireNonNull(endpoint, "endpoint");
            Objects.requireNonNull(publicKey, "publicKey");
        }

        /** {@code path} (for example {@code /v1/requests}) on this replica's endpoint, whatever slashes it ends in. */
        URI resolve(String path) {
            String base = endpoint.toString();
            while (base.endsWith("/")) {
                base = base.substring(0, base.length() - 1);
            }
            return URI.create(base + path);
        }
    }

    private final List<Replica> replicas;
    private final int faultsTolerated;
    private final Ed25519KeyPair keyPair;
    private final Duration initialRetransmissionDelay;
    private final Duration maxRetransmissionDelay;
    private final int maxAttempts;
    private final Duration readOnlyTimeout;
    private final Duration exchangeTimeout;
    private final Duration connectTimeout;
    private final long firstRequestNumber;
    private final WireLimits wireLimits;
    private final Transport transport;

    private BftClientSettings(Builder builder, List<Replica> replicas) {
        this.replicas = replicas;
        this.faultsTolerated = builder.faultsTolerated;
        this.keyPair = builder.keyPair;
        this.initialRetransmissionDelay = builder.initialRetransmissionDelay;
        this.maxRetransmissionDelay = builder.maxRetransmissionDelay;
        this.maxAttempts = builder.maxAttempts;
        this.readOnlyTimeout = builder.readOnlyTimeout;
        this.exchangeTimeout = builder.exchangeTimeout;
        this.connectTimeout = builder.connectTimeout;
        this.firstRequestNumber = builder.firstRequestNumber;
        this.wireLimits = builder.wireLimits;
        this.transport = builder.transport;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The replicas ordered by id, which runs 0..n-1. */
    public List<Replica> replicas() {
        return replicas;
    }

    public int replicaCount() {
        return replicas.size();
    }

    public int faultsTolerated() {
        return faultsTolerated;
    }

    /** f+1: matching replies that accept an ordered result. */
    public int orderedQuorum() {
        return faultsTolerated + 1;
    }

    /** 2f+1: matching replies that accept a read-only result. */
    public int readOnlyQuorum() {
        return 2 * faultsTolerated + 1;
    }

    public Ed25519KeyPair keyPair() {
        return keyPair;
    }

    public Duration initialRetransmissionDelay() {
        return initialRetransmissionDelay;
    }

    public Duration maxRetransmissionDelay() {
        return maxRetransmissionDelay;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Duration readOnlyTimeout() {
        return readOnlyTimeout;
    }

    public Duration exchangeTimeout() {
        return exchangeTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public long firstRequestNumber() {
        return firstRequestNumber;
    }

    public WireLimits wireLimits() {
        return wireLimits;
    }

    public Transport transport() {
        return transport;
    }

    /** How long attempt {@code attempt} (1-based) waits before retransmitting: doubling, capped. */
    public Duration retransmissionDelay(int attempt) {
        Duration delay = initialRetransmissionDelay;
        for (int doubling = 1; doubling < attempt && delay.compareTo(maxRetransmissionDelay) < 0; doubling++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(maxRetransmissionDelay) > 0 ? maxRetransmissionDelay : delay;
    }

    /** Collects the settings; every setter returns the builder. */
    public static final class Builder {
        private final Map<Integer, Replica> replicas = new TreeMap<>();
        private int faultsTolerated = -1;
        private Ed25519KeyPair keyPair;
        private Duration initialRetransmissionDelay = Duration.ofSeconds(1);
        private Duration maxRetransmissionDelay = Duration.ofSeconds(8);
        private int maxAttempts = 5;
        private Duration readOnlyTimeout = Duration.ofSeconds(1);
        private Duration exchangeTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(2);
        private long firstRequestNumber = 1;
        private WireLimits wireLimits = WireLimits.defaults();
        private Transport transport = Transport.STREAM;
        private Optional<String> duplicateReplica = Optional.empty();

        private Builder() {}

        /** Adds replica {@code replicaId}, reached at {@code endpoint} (for example http://127.0.0.1:8400). */
        public Builder replica(int replicaId, URI endpoint, PublicKey publicKey) {
            if (replicas.put(replicaId, new Replica(replicaId, endpoint, publicKey)) != null) {
                duplicateReplica = Optional.of("replica " + replicaId + " is listed twice");
            }
            return this;
        }

        /** f, the number of faulty replicas tolerated; the cluster has exactly 3f+1 replicas. */
        public Builder faultsTolerated(int faultsTolerated) {
            this.faultsTolerated = faultsTolerated;
            return this;
        }

        /** The client's key pair; its public key is the client id. */
        public Builder keyPair(Ed25519KeyPair keyPair) {
            this.keyPair = keyPair;
            return this;
        }

        /** The wait of the first attempt (default 1 s); each later attempt doubles it up to the maximum. */
        public Builder initialRetransmissionDelay(Duration delay) {
            this.initialRetransmissionDelay = delay;
            return this;
        }

        /** The cap on the doubling wait (default 8 s). */
        public Builder maxRetransmissionDelay(Duration delay) {
            this.maxRetransmissionDelay = delay;
            return this;
        }

        /** How many times a request is sent before it fails (default 5, at least 1). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** How long a read waits for 2f+1 matching read-only replies before it falls back (default 1 s). */
        public Builder readOnlyTimeout(Duration timeout) {
            this.readOnlyTimeout = timeout;
            return this;
        }

        /**
         * How long one exchange (a request to one replica) may take (default 10 s); keep it above the
         * endpoints' reply wait.
         */
        public Builder exchangeTimeout(Duration timeout) {
            this.exchangeTimeout = timeout;
            return this;
        }

        /** How long opening a connection may take (default 2 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = timeout;
            return this;
        }

        /**
         * The number of the client's first request (default 1). Replicas remember the last request number
         * of every client id for ever, so a client that restarts with a key it used before must start above
         * every number it used; a clock reading such as microseconds since the epoch does that.
         */
        public Builder firstRequestNumber(long firstRequestNumber) {
            this.firstRequestNumber = firstRequestNumber;
            return this;
        }

        /** Limits for decoding replies (default {@link WireLimits#defaults()}). */
        public Builder wireLimits(WireLimits wireLimits) {
            this.wireLimits = wireLimits;
            return this;
        }

        /** How requests travel (default {@link Transport#STREAM}). */
        public Builder transport(Transport transport) {
            this.transport = transport;
            return this;
        }

        /** @throws IllegalArgumentException naming the first setting that is missing or wrong */
        public BftClientSettings build() {
            duplicateReplica.ifPresent(message -> fail("replicas", message));
            if (faultsTolerated < 1) {
                fail("faultsTolerated", "must be set to at least 1, got " + faultsTolerated);
            }
            int n = 3 * faultsTolerated + 1;
            if (replicas.size() != n) {
                fail("replicas", "f = " + faultsTolerated + " needs exactly n = 3f+1 = " + n + " replicas, got "
                        + replicas.size());
            }
            for (int replicaId = 0; replicaId < n; replicaId++) {
                if (!replicas.containsKey(replicaId)) {
                    fail("replicas", "replica ids must be 0.." + (n - 1) + ", missing " + replicaId);
                }
                requireHttp(replicas.get(replicaId));
            }
            if (new HashSet<>(replicas.values().stream().map(Replica::publicKey).toList()).size() != n) {
                fail("replicas", "two replicas share a public key");
            }
            if (keyPair == null) {
                fail("keyPair", "must be set: the client signs every request with it");
            }
            requirePositive("initialRetransmissionDelay", initialRetransmissionDelay);
            requirePositive("maxRetransmissionDelay", maxRetransmissionDelay);
            if (maxRetransmissionDelay.compareTo(initialRetransmissionDelay) < 0) {
                fail("maxRetransmissionDelay", "must not be below initialRetransmissionDelay ("
                        + initialRetransmissionDelay + "), got " + maxRetransmissionDelay);
            }
            if (maxAttempts < 1) {
                fail("maxAttempts", "must be at least 1, got " + maxAttempts);
            }
            requirePositive("readOnlyTimeout", readOnlyTimeout);
            requirePositive("exchangeTimeout", exchangeTimeout);
            requirePositive("connectTimeout", connectTimeout);
            if (firstRequestNumber < 1) {
                fail("firstRequestNumber", "request numbers start at 1, got " + firstRequestNumber);
            }
            Objects.requireNonNull(wireLimits, "wireLimits");
            Objects.requireNonNull(transport, "transport");
            return new BftClientSettings(this, List.copyOf(replicas.values()));
        }

        private static void requireHttp(Replica replica) {
            String scheme = replica.endpoint().getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                fail("replicas", "replica " + replica.replicaId() + "'s endpoint " + replica.endpoint()
                        + " must be an http:// or https:// URI");
            }
        }

        private static void requirePositive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                fail(name, "must be > 0, got " + value);
            }
        }

        private static void fail(String setting, String message) {
            throw new IllegalArgumentException("BftClientSettings." + setting + ": " + message);
        }
    }
}
