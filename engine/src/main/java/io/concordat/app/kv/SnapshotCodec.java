package io.concordat.app.kv;

import com.google.protobuf.InvalidProtocolBufferException;
import io.concordat.app.kv.proto.KeyValueSnapshot;
import io.concordat.app.kv.proto.SnapshotEntry;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Encodes the store's entries as a versioned {@code concordat.kv.v1.KeyValueSnapshot} and decodes them
 * back with every check that keeps a damaged snapshot from becoming state: the version, the entry count,
 * strictly increasing keys, the size limits, and the embedded state digest.
 */
final class SnapshotCodec {
    static final int FORMAT_VERSION = 1;

    private SnapshotCodec() {}

    static Bytes encode(NavigableMap<Bytes, Bytes> entries, Digest stateDigest) {
        KeyValueSnapshot.Builder snapshot = KeyValueSnapshot.newBuilder().setFormatVersion(FORMAT_VERSION);
        for (Map.Entry<Bytes, Bytes> entry : entries.entrySet()) {
            snapshot.addEntries(SnapshotEntry.newBuilder()
                    .setKey(OperationCodec.wrap(entry.getKey()))
                    .setValue(OperationCodec.wrap(entry.getValue())));
        }
        snapshot.setEntryCount(entries.size()).setStateDigest(OperationCodec.wrap(stateDigest.value()));
        return Bytes.wrap(snapshot.build().toByteArray());
    }

    /**
     * Decodes a snapshot into a fresh map.
     *
     * @throws IllegalArgumentException naming the first problem found
     */
    static TreeMap<Bytes, Bytes> decode(Bytes encoded, KeyValueLimits limits) {
        KeyValueSnapshot snapshot = parse(encoded);
        if (snapshot.getFormatVersion() != FORMAT_VERSION) {
            throw new IllegalArgumentException("snapshot format version " + snapshot.getFormatVersion()
                    + " is not supported; this store reads version " + FORMAT_VERSION);
        }
        if (snapshot.getUnknownFields().getSerializedSize() != 0) {
            throw new IllegalArgumentException("snapshot carries fields this store does not know");
        }
        if (snapshot.getEntryCount() != snapshot.getEntriesCount()) {
            throw new IllegalArgumentException("snapshot declares " + snapshot.getEntryCount() + " entries but holds "
                    + snapshot.getEntriesCount() + ": it is truncated or damaged");
        }
        TreeMap<Bytes, Bytes> entries = new TreeMap<>();
        Bytes previousKey = null;
        for (int index = 0; index < snapshot.getEntriesCount(); index++) {
            SnapshotEntry entry = snapshot.getEntries(index);
            if (entry.getUnknownFields().getSerializedSize() != 0) {
                throw new IllegalArgumentException("snapshot entry " + index + " carries unknown fields");
            }
            Bytes key = OperationCodec.bytes(entry.getKey());
            Bytes value = OperationCodec.bytes(entry.getValue());
            Optional<String> violation = OperationCodec.checkKey(key, limits)
                    .or(() -> OperationCodec.checkValue("value", value, limits));
            if (violation.isPresent()) {
                throw new IllegalArgumentException("snapshot entry " + index + ": " + violation.get());
            }
            if (previousKey != null && previousKey.compareTo(key) >= 0) {
                throw new IllegalArgumentException("snapshot entry " + index + " has key " + key
                        + ", not after the previous key " + previousKey + ": keys are unsorted or duplicated");
            }
            entries.put(key, value);
            previousKey = key;
        }
        Bytes declaredDigest = OperationCodec.bytes(snapshot.getStateDigest());
        Digest actualDigest = KeyValueStore.digestOf(entries);
        if (!actualDigest.value().equals(declaredDigest)) {
            throw new IllegalArgumentException("snapshot state digest " + declaredDigest
                    + " does not match its entries (" + actualDigest + "): it is truncated or damaged");
        }
        return entries;
    }

    private static KeyValueSnapshot parse(Bytes encoded) {
        KeyValueSnapshot snapshot;
        try {
            snapshot = KeyValueSnapshot.parseFrom(encoded.unsafeArray());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("snapshot is not a valid protobuf encoding of "
                    + "concordat.kv.v1.KeyValueSnapshot (truncated or damaged): " + e.getMessage(), e);
        }
        return snapshot;
    }
}
