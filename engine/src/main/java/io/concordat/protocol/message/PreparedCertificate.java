package io.concordat.protocol.message;

import io.concordat.crypto.Digest;
import java.util.List;
import java.util.Objects;

/**
 * Proof that a batch was prepared (PBFT §4.4, the P_m sets of a VIEW-CHANGE): the primary's pre-prepare
 * for (v, n, d) and 2f prepares from distinct backups that match it. Every part is signed by its sender, so
 * a replica cannot forge a certificate for a batch that did not prepare.
 */
public record PreparedCertificate(Signed<PrePrepare> prePrepare, List<Signed<Prepare>> prepares) {
    public PreparedCertificate {
        Objects.requireNonNull(prePrepare, "prePrepare");
        prepares = List.copyOf(prepares);
    }

    public long view() {
        return prePrepare.body().view();
    }

    public long sequence() {
        return prePrepare.body().sequence();
    }

    public Digest batchDigest() {
        return prePrepare.body().batchDigest();
    }
}
