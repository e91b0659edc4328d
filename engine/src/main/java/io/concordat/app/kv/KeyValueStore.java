package io.concordat.app.kv;

import io.concordat.app.Operation;
import io.concordat.app.StateMachine;
import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The reference application: a replicated map from byte-string keys to byte-string values, kept sorted in
 * unsigned lexicographic key order so that every replica iterates, digests and snapshots it identically.
 *
 * <p>Operations are built with {@link KeyValueOperations} and results read with
 * {@link KeyValueOperations#decodeResult}. Each operation returns exactly one {@link KeyValueResult}:
 * <table>
 *   <caption>Results by operation</caption>
 *   <tr><th>operation</th><th>outcome</th><th>result</th></tr>
 *   <tr><td>put(key, value)</td><td>always stores</td>
 *       <td>OK, value = the previous value if there was one, else empty</td></tr>
 *   <tr><td>get(key)</td><td>present / absent</td><td>OK with the value / NOT_FOUND</td></tr>
 *   <tr><td>delete(key)</td><td>present / absent</td>
 *       <td>OK with the removed value / NOT_FOUND (nothing changes)</td></tr>
 *   <tr><td>compareAndSet(key, expected, new)</td><td>current value equals expected (empty expected: key
 *       absent)</td><td>OK, no value; the key now holds new</td></tr>
 *   <tr><td></td><td>otherwise</td><td>COMPARE_FAILED, value = the current value, empty if the key is absent;
 *       nothing changes</td></tr>
 *   <tr><td>any</td><td>malformed, empty key, over the {@link KeyValueLimits}, or a write sent read-only</td>
 *       <td>INVALID with a detail that says why; nothing changes</td></tr>
 * </table>
 * An empty value is a value: put(k, "") makes get(k) return OK with an empty value, not NOT_FOUND.
 *
 * <p>No input bytes make {@link #execute} or {@link #executeReadOnly} throw: a result that every correct
 * replica computes the same way is the only safe answer to a bad operation (see {@link StateMachine}).
 * The INVALID details are fixed texts that depend only on the operation and the limits.
 *
 * <p>Not thread-safe; the {@link StateMachine} contract calls it from one thread at a time.
 */
public final class KeyValueStore implements StateMachine {
    /** Separates this digest from any other SHA-256 in the system that might hash the same fields. */
    private static final Bytes DIGEST_DOMAIN = Bytes.ofUtf8("concordat.kv.v1.state");

    private final KeyValueLimits limits;
    private TreeMap<Bytes, Bytes> entries = new TreeMap<>();

    public KeyValueStore() {
        this(KeyValueLimits.defaults());
    }

    public KeyValueStore(KeyValueLimits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public KeyValueLimits limits() {
        return limits;
    }

    /** The sequence number is not part of the state: the result of an operation depends only on the map. */
    @Override
    public List<Bytes> execute(long sequence, List<Operation> operations) {
        List<Bytes> results = new ArrayList<>(operations.size());
        for (Operation operation : operations) {
            KeyValueCommand command = OperationCodec.decode(operation.payload(), limits);
            results.add(ResultCodec.encode(apply(command)));
        }
        return Collections.unmodifiableList(results);
    }

    /** Runs a get; any other operation returns INVALID and changes nothing (PBFT §5.1.3). */
    @Override
    public Bytes executeReadOnly(Operation operation) {
        KeyValueCommand command = OperationCodec.decode(operation.payload(), limits);
        if (command instanceof KeyValueCommand.Get || command instanceof KeyValueCommand.Malformed) {
            return ResultCodec.encode(apply(command));
        }
        return ResultCodec.encode(KeyValueResult.invalid(
                "operation changes the state and cannot run read-only; send it as an ordered request"));
    }

    /**
     * SHA-256 over the domain tag, the entry count and every key and value in key order, each length-prefixed.
     * It is a full pass over the state, linear in its size in bytes, computed on every call; PBFT asks for it
     * once per checkpoint interval, which amortises it over many batches.
     */
    @Override
    public Digest stateDigest() {
        return digestOf(entries);
    }

    /**
     * A {@code concordat.kv.v1.KeyValueSnapshot} of every entry, carrying the state digest. Linear in the
     * state size.
     */
    @Override
    public Bytes snapshot() {
        return SnapshotCodec.encode(entries, stateDigest());
    }

    /**
     * Replaces the state with {@code snapshot}, or throws and leaves the current state exactly as it was.
     *
     * @throws IllegalArgumentException if the snapshot is corrupt, truncated, of another format version, has
     *     unsorted or duplicate keys, breaks this store's {@link KeyValueLimits}, or does not match its digest
     */
    @Override
    public void restore(Bytes snapshot) {
        entries = SnapshotCodec.decode(snapshot, limits);
    }

    /** A read-only view of the entries, in key order; for tests and tools in this package. */
    NavigableMap<Bytes, Bytes> contents() {
        return Collections.unmodifiableNavigableMap(entries);
    }

    static Digest digestOf(NavigableMap<Bytes, Bytes> entries) {
        Sha256.Builder digest = Sha256.builder().putBytes(DIGEST_DOMAIN).putLong(entries.size());
        for (Map.Entry<Bytes, Bytes> entry : entries.entrySet()) {
            digest.putBytes(entry.getKey()).putBytes(entry.getValue());
        }
        return digest.build();
    }

    private KeyValueResult apply(KeyValueCommand command) {
        if (command instanceof KeyValueCommand.Put put) {
            return KeyValueResult.ok(Optional.ofNullable(entries.put(put.key(), put.value())));
        } else if (command instanceof KeyValueCommand.Get get) {
            Bytes value = entries.get(get.key());
            return value == null ? KeyValueResult.notFound() : KeyValueResult.ok(Optional.of(value));
        } else if (command instanceof KeyValueCommand.Delete delete) {
            Bytes previous = entries.remove(delete.key());
            return previous == null ? KeyValueResult.notFound() : KeyValueResult.ok(Optional.of(previous));
        } else if (command instanceof KeyValueCommand.CompareAndSet compareAndSet) {
            return applyCompareAndSet(compareAndSet);
        } else if (command instanceof KeyValueCommand.Malformed malformed) {
            return KeyValueResult.invalid(malformed.reason());
        }
        return KeyValueResult.invalid("unhandled operation kind");
    }

    private KeyValueResult applyCompareAndSet(KeyValueCommand.CompareAndSet compareAndSet) {
        Optional<Bytes> current = Optional.ofNullable(entries.get(compareAndSet.key()));
        if (!current.equals(compareAndSet.expectedValue())) {
            return KeyValueResult.compareFailed(current);
        }
        entries.put(compareAndSet.key(), compareAndSet.newValue());
        return KeyValueResult.ok(Optional.empty());
    }
}
