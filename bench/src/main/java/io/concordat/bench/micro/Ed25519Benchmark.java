package io.concordat.bench.micro;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Signer;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 * Ed25519 sign and verify: our Bouncy Castle {@code Ed25519Signer}/{@code Ed25519Verifier} against the
 * JDK's SunEC provider, on the same key and message.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class Ed25519Benchmark {
    /** The DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410). */
    private static final Bytes X509_ED25519_PREFIX = Bytes.fromHex("302a300506032b6570032100");

    @Param({"1024"})
    public int messageBytes;

    private Bytes message;
    private byte[] messageArray;
    private Signer bouncyCastleSigner;
    private Ed25519Verifier bouncyCastleVerifier;
    private PublicKey publicKey;
    private Bytes signature;
    private byte[] signatureArray;
    private Signature jdkSigner;
    private Signature jdkVerifier;
    private java.security.PublicKey jdkPublicKey;

    @Setup
    public void setUp() throws GeneralSecurityException {
        SplittableRandom random = new SplittableRandom(1);
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        messageArray = new byte[messageBytes];
        random.nextBytes(messageArray);
        message = Bytes.copyOf(messageArray);

        Ed25519KeyPair keyPair = Ed25519KeyPair.fromSeed(Bytes.wrap(seed));
        bouncyCastleSigner = keyPair.signer();
        bouncyCastleVerifier = new Ed25519Verifier();
        publicKey = keyPair.publicKey();
        signature = bouncyCastleSigner.sign(message);
        signatureArray = signature.toByteArray();

        KeyFactory keyFactory = KeyFactory.getInstance("Ed25519", "SunEC");
        jdkSigner = Signature.getInstance("Ed25519", "SunEC");
        jdkSigner.initSign(keyFactory.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, seed)));
        byte[] x509 = new byte[X509_ED25519_PREFIX.size() + 32];
        System.arraycopy(X509_ED25519_PREFIX.toByteArray(), 0, x509, 0, X509_ED25519_PREFIX.size());
        System.arraycopy(publicKey.encoded().toByteArray(), 0, x509, X509_ED25519_PREFIX.size(), 32);
        jdkPublicKey = keyFactory.generatePublic(new X509EncodedKeySpec(x509));
        jdkVerifier = Signature.getInstance("Ed25519", "SunEC");
        if (!verifyJdk() || !verifyBouncyCastle()) {
            throw new IllegalStateException("the benchmark's signature does not verify");
        }
    }

    @Benchmark
    public Bytes signBouncyCastle() {
        return bouncyCastleSigner.sign(message);
    }

    @Benchmark
    public boolean verifyBouncyCastle() {
        return bouncyCastleVerifier.verify(publicKey, message, signature);
    }

    /** {@link Signature#sign()} returns the object to its initialised state, so it can sign again. */
    @Benchmark
    public byte[] signJdk() throws GeneralSecurityException {
        jdkSigner.update(messageArray);
        return jdkSigner.sign();
    }

    @Benchmark
    public boolean verifyJdk() throws GeneralSecurityException {
        jdkVerifier.initVerify(jdkPublicKey);
        jdkVerifier.update(messageArray);
        return jdkVerifier.verify(signatureArray);
    }
}
