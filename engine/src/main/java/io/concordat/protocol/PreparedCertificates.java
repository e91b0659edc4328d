package io.concordat.protocol;

import io.concordat.crypto.Digest;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.PreparedCertificate;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * For every sequence number above the stable checkpoint, the certificate from the highest view in which
 * this replica prepared it, with its batch. Unlike the log, which holds only the current view, these survive
 * view changes: they are what a VIEW-CHANGE carries (PBFT §4.4), and a replica that forgot one could let a
 * committed batch be replaced.
 */
final class PreparedCertificates {
    record Entry(PreparedCertificate certificate, Optional<Batch> batch) {}

    private final NavigableMap<Long, Entry> bySequence = new TreeMap<>();

    void record(PreparedCertificate certificate, Optional<Batch> batch) {
        Entry existing = bySequence.get(certificate.sequence());
        if (existing == null || existing.certificate().view() < certificate.view()) {
            bySequence.put(certificate.sequence(), new Entry(certificate, batch));
        }
    }

    /** The certificates above {@code sequence}, in order. */
    List<PreparedCertificate> above(long sequence) {
        List<PreparedCertificate> certificates = new ArrayList<>();
        for (Entry entry : bySequence.tailMap(sequence, false).values()) {
            certificates.add(entry.certificate());
        }
        return certificates;
    }

    /** A batch this replica prepared with the given digest, if it still holds one. */
    Optional<Batch> batchWithDigest(Digest digest) {
        for (Entry entry : bySequence.values()) {
            if (entry.certificate().batchDigest().equals(digest) && entry.batch().isPresent()) {
                return entry.batch();
            }
        }
        return Optional.empty();
    }

    void discardUpTo(long sequence) {
        bySequence.headMap(sequence, true).clear();
    }

    int size() {
        return bySequence.size();
    }
}
