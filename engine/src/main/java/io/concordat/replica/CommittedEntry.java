package io.concordat.replica;

import io.concordat.protocol.message.Batch;
import java.util.Objects;

/**
 * One position of the ordered log: the batch agreed at {@code sequence}, and the certificate that it was
 * committed. The batch holds every request the primary ordered, including any that exactly-once semantics
 * kept from running a second time; an embedder that replays the log applies the same rule (a request runs
 * only if its number is above the client's last executed one).
 */
public record CommittedEntry(long sequence, long view, Batch batch, CommitCertificate certificate) {
    public CommittedEntry {
        Objects.requireNonNull(batch, "batch");
        Objects.requireNonNull(certificate, "certificate");
    }
}
