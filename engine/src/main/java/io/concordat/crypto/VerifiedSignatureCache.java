package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link SignatureVerifier} that remembers the signatures it found valid, so that the same signed bytes
 * are verified once per node however many parts of it look at them. A client's request reaches a replica's
 * client endpoint, which verifies it off the replica's thread, then the protocol core, which must not take
 * a request on trust; without this the core verified it again at about 85 µs (docs/benchmarks.md).
 *
 * <p>Only successful verifications are remembered, and a hit needs the very same key, message and
 * signature, compared byte for byte, so the answer is always the one the wrapped verifier would give: a
 * forged or altered message can only miss and be verified in full. The memory is a fixed array of slots
 * indexed by the signature's hash; a new entry overwrites whatever held its slot, so it is bounded and
 * needs no lock. Signatures are uniformly random bytes, so an attacker cannot aim at a slot except with
 * signatures that verify, which only evicts entries (a later verification costs its full price again).
 * Thread-safe.
 */
public final class VerifiedSignatureCache implements SignatureVerifier {
    /** Slots of the default cache: a few seconds of requests at the rates this engine reaches. */
    public static final int DEFAULT_CAPACITY = 8192;

    private record Verified(PublicKey key, Bytes message, Bytes signature) {}

    private final SignatureVerifier verifier;
    private final AtomicReferenceArray<Verified> slots;
    private final int slotMask;
    private final LongAdder hits = new LongAdder();
    private final LongAdder verifications = new LongAdder();

    /** @param capacity the number of slots, rounded up to a power of two */
    public VerifiedSignatureCache(SignatureVerifier verifier, int capacity) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        if (capacity < 1 || capacity > 1 << 24) {
            throw new IllegalArgumentException("capacity must lie in 1.." + (1 << 24) + ", got " + capacity);
        }
        int size = capacity == 1 ? 1 : Integer.highestOneBit(capacity - 1) << 1;
        this.slots = new AtomicReferenceArray<>(size);
        this.slotMask = size - 1;
    }

    /** A cache of {@link #DEFAULT_CAPACITY} slots in front of Ed25519. */
    public static VerifiedSignatureCache ed25519() {
        return new VerifiedSignatureCache(new Ed25519Verifier(), DEFAULT_CAPACITY);
    }

    @Override
    public boolean verify(PublicKey key, Bytes message, Bytes signature) {
        if (key == null || message == null || signature == null) {
            return false;
        }
        int slot = spread(signature.hashCode()) & slotMask;
        Verified remembered = slots.get(slot);
        if (remembered != null && remembered.signature().equals(signature) && remembered.key().equals(key)
                && remembered.message().equals(message)) {
            hits.increment();
            return true;
        }
        verifications.increment();
        boolean valid = verifier.verify(key, message, signature);
        if (valid) {
            slots.set(slot, new Verified(key, message, signature));
        }
        return valid;
    }

    /** How many calls were answered from memory. */
    public long hits() {
        return hits.sum();
    }

    /** How many calls went to the wrapped verifier. */
    public long verifications() {
        return verifications.sum();
    }

    /** The number of slots. */
    public int capacity() {
        return slotMask + 1;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
