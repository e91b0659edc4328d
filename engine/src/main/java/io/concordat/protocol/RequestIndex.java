package io.concordat.protocol;

import io.concordat.crypto.PublicKey;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Signed;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * For each client, the highest request number in an accepted pre-prepare that is not yet executed, so a
 * retransmitted request that is already ordered is not queued a second time. Entries disappear when the
 * request executes, which bounds the index by the requests in the window.
 */
final class RequestIndex {
    /** Sorted by client id, so that choosing one entry is deterministic on every replica. */
    private final TreeMap<PublicKey, Long> highestOrdered = new TreeMap<>();

    void addAll(Batch batch) {
        for (Signed<ClientRequest> request : batch.requests()) {
            highestOrdered.merge(request.body().clientId(), request.body().requestNumber(), Math::max);
        }
    }

    /** The highest request number ordered but not executed for this client, or 0. */
    long highest(PublicKey clientId) {
        return highestOrdered.getOrDefault(clientId, 0L);
    }

    void removeUpTo(PublicKey clientId, long requestNumber) {
        highestOrdered.computeIfPresent(clientId, (key, highest) -> highest <= requestNumber ? null : highest);
    }

    /** Some ordered, unexecuted request (the lowest client id's), as client id and request number. */
    Optional<Map.Entry<PublicKey, Long>> first() {
        return Optional.ofNullable(highestOrdered.firstEntry());
    }

    void clear() {
        highestOrdered.clear();
    }

    boolean isEmpty() {
        return highestOrdered.isEmpty();
    }

    int size() {
        return highestOrdered.size();
    }
}
