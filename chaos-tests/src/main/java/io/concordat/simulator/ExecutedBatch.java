package io.concordat.simulator;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Signed;
import java.util.List;
import java.util.Objects;

/** A batch one replica executed: its sequence number, the digest it committed, the requests it ran. */
public record ExecutedBatch(long sequence, Digest batchDigest, List<Signed<ClientRequest>> requests) {
    public ExecutedBatch {
        Objects.requireNonNull(batchDigest, "batchDigest");
        requests = List.copyOf(requests);
    }
}
