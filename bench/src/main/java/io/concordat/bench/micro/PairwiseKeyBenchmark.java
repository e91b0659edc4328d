package io.concordat.bench.micro;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.PairwiseKey;
import io.concordat.crypto.PairwiseKeys;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Signer;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a MAC-authenticated reply costs against the Ed25519 signature it replaced (docs/security.md,
 * "Pairwise keys"): the replica's MAC and the client's check of a 100-byte reply, and the one-time
 * derivation of a pair's key (X25519 and HKDF) the first time a replica sees a client.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PairwiseKeyBenchmark {
    private static final int REPLY_BYTES = 100;

    private Signer replica;
    private PublicKey client;
    private PairwiseKey key;
    private Bytes reply;
    private Bytes replyAuthenticator;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(1);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        replica = Ed25519KeyPair.fromSeed(Bytes.wrap(seed)).signer();
        random.nextBytes(seed);
        client = Ed25519KeyPair.fromSeed(Bytes.wrap(seed)).publicKey();
        key = PairwiseKeys.ofReplica(replica).with(client).orElseThrow();
        byte[] message = new byte[REPLY_BYTES];
        random.nextBytes(message);
        reply = Bytes.wrap(message);
        replyAuthenticator = key.replyAuthenticator(reply);
    }

    @Benchmark
    public Bytes replyAuthenticator() {
        return key.replyAuthenticator(reply);
    }

    @Benchmark
    public boolean checkReply() {
        return key.checkReply(reply, replyAuthenticator);
    }

    /** A fresh pair's key: what a replica pays once per client it has not seen (or forgot). */
    @Benchmark
    public Optional<PairwiseKey> deriveKey() {
        return new PairwiseKeys(replica, PairwiseKeys.Role.REPLICA, 1).with(client);
    }
}
