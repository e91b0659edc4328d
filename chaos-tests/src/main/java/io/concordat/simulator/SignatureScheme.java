package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;
import java.util.function.Function;

/**
 * How the nodes of one run sign and verify. {@link #ED25519} is the product's scheme (Bouncy Castle, as the
 * replicas run it); {@link #HMAC} is {@link HmacSignatures}, a keyed hash that is just as unforgeable inside
 * the simulator and makes a run about fifteen times cheaper (Ed25519 was most of its time), so that the
 * sweeps run three times the seeds in less time than before. A run's scheme is part of its
 * {@link SimulationParameters}: the scenario may fix it ({@code -Dsimulation.signatures=ED25519}), otherwise {@link #drawnFor(long)} picks it from the seed, and
 * the replay command of every run names the scheme it used.
 */
public enum SignatureScheme {
    ED25519,
    HMAC;

    /** One seed in this many runs with real Ed25519 when the scenario leaves the scheme to the seed. */
    static final int ED25519_ONE_SEED_IN = 10;

    /**
     * The scheme of a run whose scenario does not fix one: {@link #ED25519} on one seed in ten, chosen by a
     * hash of the seed (SplitMix64's finalizer) rather than by {@code seed % 10}, so that it does not line up
     * with the Byzantine-primary sweep, which cycles through its behaviours and f by the seed's position;
     * {@link #HMAC} on the others. Depends on the seed alone and never draws from the run's random streams, so
     * every other parameter of a seed is the same under either scheme.
     */
    public static SignatureScheme drawnFor(long seed) {
        return Long.remainderUnsigned(mix(seed), ED25519_ONE_SEED_IN) == 0 ? ED25519 : HMAC;
    }

    /** The keys of one run: a signer per key seed, and the verifier every node of the run shares. */
    Keys newKeys() {
        if (this == ED25519) {
            return new Keys(keySeed -> Ed25519KeyPair.fromSeed(keySeed).signer(), new Ed25519Verifier());
        }
        HmacSignatures signatures = new HmacSignatures();
        return new Keys(signatures::register, signatures);
    }

    /**
     * A run's key material under one scheme.
     *
     * @param signers the signer whose key a key seed (32 bytes, drawn from the run's seed) determines
     */
    record Keys(Function<Bytes, Signer> signers, SignatureVerifier verifier) {
        Signer signer(Bytes keySeed) {
            return signers.apply(keySeed);
        }
    }

    private static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
