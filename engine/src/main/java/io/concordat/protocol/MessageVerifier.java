package io.concordat.protocol;

import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.ReplicaMessage;
import io.concordat.protocol.message.Signed;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Checks who signed a message. An Ed25519 verification costs about a hundred SHA-256 hashes of the same
 * message (docs/benchmarks.md), and a client request reaches a replica twice (directly from the client
 * and again inside the primary's batch), so requests that verified once are remembered and not verified
 * again. The memory is bounded and evicts the oldest entries.
 */
final class MessageVerifier {
    private final Membership membership;
    private final SignatureVerifier verifier;
    private final int verifiedRequestsCapacity;
    private final Map<Signed<ClientRequest>, Boolean> verifiedRequests;

    MessageVerifier(Membership membership, SignatureVerifier verifier, int verifiedRequestsCapacity) {
        this.membership = membership;
        this.verifier = verifier;
        this.verifiedRequestsCapacity = verifiedRequestsCapacity;
        this.verifiedRequests = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Signed<ClientRequest>, Boolean> eldest) {
                return size() > MessageVerifier.this.verifiedRequestsCapacity;
            }
        };
    }

    /** Membership first, then the signature against the claimed sender's key from the cluster definition. */
    Optional<Rejection> verifyReplicaMessage(Signed<? extends ReplicaMessage> message) {
        int sender = message.body().replicaId();
        Optional<PublicKey> key = membership.keyOf(sender);
        if (key.isEmpty()) {
            return Optional.of(Rejection.of(DropReason.UNKNOWN_SENDER, "replica %d is not one of the %d members",
                    sender, membership.size()));
        }
        if (!verifier.verify(key.get(), message.encoded(), message.signature())) {
            return Optional.of(Rejection.of(DropReason.BAD_SIGNATURE, "signature does not verify for replica %d",
                    sender));
        }
        return Optional.empty();
    }

    /** The request's signature against the client id, which is the client's public key. */
    boolean verifyRequest(Signed<ClientRequest> request) {
        if (verifiedRequests.containsKey(request)) {
            return true;
        }
        boolean valid = verifier.verify(request.body().clientId(), request.encoded(), request.signature());
        if (valid) {
            verifiedRequests.put(request, Boolean.TRUE);
        }
        return valid;
    }

    /** Forgets a request once it is executed: it will not be verified again. */
    void forget(Signed<ClientRequest> request) {
        verifiedRequests.remove(request);
    }
}
