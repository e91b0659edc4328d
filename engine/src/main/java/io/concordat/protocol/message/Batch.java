package io.concordat.protocol.message;

import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import java.util.List;

/**
 * The client requests ordered at one sequence number. An empty batch is PBFT's null request (§4.4),
 * used to fill gaps after a view change and as the idle primary's heartbeat.
 */
public record Batch(List<Signed<ClientRequest>> requests) {
    public static final Batch NULL = new Batch(List.of());

    public Batch {
        requests = List.copyOf(requests);
    }

    /** SHA-256 over the count and each request's signed bytes and signature: the d of the paper. */
    public Digest digest() {
        Sha256.Builder builder = Sha256.builder().putLong(requests.size());
        for (Signed<ClientRequest> request : requests) {
            builder.putBytes(request.encoded()).putBytes(request.signature());
        }
        return builder.build();
    }

    /** The total size of the requests' signed bytes, as counted against {@code batchMaxBytes}. */
    public long sizeBytes() {
        long size = 0;
        for (Signed<ClientRequest> request : requests) {
            size += request.encoded().size() + request.signature().size();
        }
        return size;
    }

    public boolean isNull() {
        return requests.isEmpty();
    }
}
