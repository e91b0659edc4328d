package io.concordat.bench.micro;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Prepare;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
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
 * The wire codec on the most frequent message, a signed PREPARE: encoding its body (what is signed),
 * encoding the whole envelope, and decoding an envelope with every check the decoder makes. Signing and
 * verifying are excluded; {@link Ed25519Benchmark} measures those.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ProtobufCodecBenchmark {
    private ProtobufCodec codec;
    private Prepare prepare;
    private Envelope.MessageEnvelope envelope;
    private Bytes encodedEnvelope;

    @Setup
    public void setUp() {
        codec = new ProtobufCodec(WireLimits.defaults());
        byte[] seed = new byte[32];
        new SplittableRandom(1).nextBytes(seed);
        MessageSigner signer = new MessageSigner(Ed25519KeyPair.fromSeed(Bytes.wrap(seed)).signer(), codec);
        Digest batchDigest = Sha256.of(Bytes.ofUtf8("batch"));
        prepare = new Prepare(7, 1_000_000, batchDigest, 2);
        envelope = new Envelope.MessageEnvelope(signer.sign(prepare));
        encodedEnvelope = codec.encodeEnvelope(envelope);
        if (!(codec.decodeEnvelope(encodedEnvelope) instanceof DecodeResult.Decoded)) {
            throw new IllegalStateException("the benchmark's envelope does not decode");
        }
    }

    @Benchmark
    public Bytes encodePrepareBody() {
        return codec.encode(prepare);
    }

    @Benchmark
    public Bytes encodePrepareEnvelope() {
        return codec.encodeEnvelope(envelope);
    }

    @Benchmark
    public DecodeResult decodePrepareEnvelope() {
        return codec.decodeEnvelope(encodedEnvelope);
    }
}
