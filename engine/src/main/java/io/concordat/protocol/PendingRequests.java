package io.concordat.protocol;

import io.concordat.crypto.PublicKey;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Signed;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Requests a replica holds that are not yet in an accepted pre-prepare, in arrival order. A PBFT client
 * has one outstanding request (§4.1), so each client has at most one entry: a newer request number
 * replaces an older one. The primary cuts batches from the front.
 */
final class PendingRequests {
    private final LinkedHashMap<PublicKey, Signed<ClientRequest>> requests = new LinkedHashMap<>();
    private final int capacity;
    private long totalBytes;

    PendingRequests(int capacity) {
        this.capacity = capacity;
    }

    enum AddOutcome { ADDED, REPLACED, DUPLICATE, OLDER, FULL }

    AddOutcome add(Signed<ClientRequest> request) {
        PublicKey clientId = request.body().clientId();
        Signed<ClientRequest> existing = requests.get(clientId);
        if (existing != null) {
            long existingNumber = existing.body().requestNumber();
            long number = request.body().requestNumber();
            if (number == existingNumber) {
                return AddOutcome.DUPLICATE;
            }
            if (number < existingNumber) {
                return AddOutcome.OLDER;
            }
            remove(clientId);
            put(request);
            return AddOutcome.REPLACED;
        }
        if (requests.size() >= capacity) {
            return AddOutcome.FULL;
        }
        put(request);
        return AddOutcome.ADDED;
    }

    /** Forgets the client's pending request if its number is at most {@code requestNumber}. */
    void removeUpTo(PublicKey clientId, long requestNumber) {
        Signed<ClientRequest> existing = requests.get(clientId);
        if (existing != null && existing.body().requestNumber() <= requestNumber) {
            remove(clientId);
        }
    }

    /**
     * Removes and returns requests from the front: at least one if any is pending, then as many as fit in
     * {@code maxRequests} and {@code maxBytes}.
     */
    List<Signed<ClientRequest>> takeBatch(int maxRequests, long maxBytes) {
        List<Signed<ClientRequest>> batch = new ArrayList<>();
        long bytes = 0;
        Iterator<Map.Entry<PublicKey, Signed<ClientRequest>>> iterator = requests.entrySet().iterator();
        while (iterator.hasNext() && batch.size() < maxRequests) {
            Signed<ClientRequest> request = iterator.next().getValue();
            long size = sizeOf(request);
            if (!batch.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            batch.add(request);
            bytes += size;
            totalBytes -= size;
            iterator.remove();
        }
        return batch;
    }

    /** Forgets every request that the sessions say has executed, as after a state transfer. */
    void removeExecuted(ClientSessions sessions) {
        List<PublicKey> executed = new ArrayList<>();
        for (Map.Entry<PublicKey, Signed<ClientRequest>> entry : requests.entrySet()) {
            if (entry.getValue().body().requestNumber() <= sessions.lastRequestNumber(entry.getKey())) {
                executed.add(entry.getKey());
            }
        }
        executed.forEach(this::remove);
    }

    /** The request that has waited longest. */
    Optional<Signed<ClientRequest>> oldest() {
        return requests.isEmpty() ? Optional.empty() : Optional.of(requests.values().iterator().next());
    }

    /** Up to {@code limit} requests, those that have waited longest first. */
    List<Signed<ClientRequest>> oldestFirst(int limit) {
        return requests.values().stream().limit(limit).toList();
    }

    Optional<Signed<ClientRequest>> find(PublicKey clientId) {
        return Optional.ofNullable(requests.get(clientId));
    }

    int size() {
        return requests.size();
    }

    boolean isEmpty() {
        return requests.isEmpty();
    }

    long totalBytes() {
        return totalBytes;
    }

    private void put(Signed<ClientRequest> request) {
        requests.put(request.body().clientId(), request);
        totalBytes += sizeOf(request);
    }

    private void remove(PublicKey clientId) {
        Signed<ClientRequest> removed = requests.remove(clientId);
        if (removed != null) {
            totalBytes -= sizeOf(removed);
        }
    }

    static long sizeOf(Signed<ClientRequest> request) {
        return request.encoded().size() + request.signature().size();
    }
}
