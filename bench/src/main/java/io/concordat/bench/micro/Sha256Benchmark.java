package io.concordat.bench.micro;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SHA-256 of a message: the JDK's {@link MessageDigest} (CPU intrinsics), Bouncy Castle's pure-Java
 * {@link SHA256Digest}, and the project's {@link Sha256}, which wraps the JDK's.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class Sha256Benchmark {
    @Param({"1024"})
    public int messageBytes;

    private byte[] message;
    private Bytes messageBytesValue;
    private MessageDigest jdkDigest;
    private SHA256Digest bouncyCastleDigest;

    @Setup
    public void setUp() throws NoSuchAlgorithmException {
        message = new byte[messageBytes];
        new SplittableRandom(1).nextBytes(message);
        messageBytesValue = Bytes.copyOf(message);
        jdkDigest = MessageDigest.getInstance("SHA-256");
        bouncyCastleDigest = new SHA256Digest();
    }

    @Benchmark
    public byte[] jdkMessageDigest() {
        return jdkDigest.digest(message);
    }

    @Benchmark
    public byte[] bouncyCastleSha256Digest() {
        byte[] out = new byte[32];
        bouncyCastleDigest.update(message, 0, message.length);
        bouncyCastleDigest.doFinal(out, 0);
        return out;
    }

    @Benchmark
    public Digest concordatSha256() {
        return Sha256.of(messageBytesValue);
    }
}
