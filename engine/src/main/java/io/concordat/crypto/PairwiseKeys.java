package io.concordat.crypto;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link PairwiseKey}s of one key holder with its peers: a replica with its clients, or a client with
 * the replicas. A key costs one X25519 scalar multiplication and an HKDF (tens of microseconds) the first
 * time a peer is seen, and a map lookup after that. The memory is bounded: when it holds
 * {@code capacity} peers it starts again empty, so a flood of made-up client ids costs each of them one
 * derivation, about what verifying their signature costs anyway. Peers whose key is unusable are
 * remembered as such. Thread-safe.
 */
public final class PairwiseKeys {
    /** Peers remembered by default: far more clients than a replica serves at once. */
    public static final int DEFAULT_CAPACITY = 1 << 16;

    /** Which end of the pair this holder is: the HKDF input names the client first, then the replica. */
    public enum Role { CLIENT, REPLICA }

    private final Signer self;
    private final Role role;
    private final int capacity;
    private final Map<PublicKey, Optional<PairwiseKey>> keys = new ConcurrentHashMap<>();

    public PairwiseKeys(Signer self, Role role, int capacity) {
        this.self = Objects.requireNonNull(self, "self");
        this.role = Objects.requireNonNull(role, "role");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** A replica's keys with its clients. */
    public static PairwiseKeys ofReplica(Signer replica) {
        return new PairwiseKeys(replica, Role.REPLICA, DEFAULT_CAPACITY);
    }

    /** A client's keys with the replicas. */
    public static PairwiseKeys ofClient(Signer client) {
        return new PairwiseKeys(client, Role.CLIENT, DEFAULT_CAPACITY);
    }

    /** The key shared with {@code peer}, or empty if {@code peer} is not a usable key (see {@link X25519Agreement}). */
    public Optional<PairwiseKey> with(PublicKey peer) {
        Objects.requireNonNull(peer, "peer");
        Optional<PairwiseKey> known = keys.get(peer);
        if (known != null) {
            return known;
        }
        Optional<PairwiseKey> derived = self.sharedSecret(peer).map(secret -> role == Role.CLIENT
                ? PairwiseKey.derive(secret, self.publicKey(), peer)
                : PairwiseKey.derive(secret, peer, self.publicKey()));
        if (keys.size() >= capacity) {
            keys.clear();
        }
        keys.put(peer, derived);
        return derived;
    }
}
