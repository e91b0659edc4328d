package io.concordat.crypto;

import io.concordat.common.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The keys one client and one replica share (docs/security.md, "Pairwise keys"): HKDF-SHA256 (RFC 5869)
 * of their static {@link X25519Agreement} secret, bound to both public keys, gives one key per direction,
 * so that a MAC made in one direction never verifies in the other (a reply cannot be reflected as a
 * request authenticator).
 *
 * <ul>
 *   <li>A reply's authenticator is HMAC-SHA512 of the reply's signed bytes under the reply key: 64 bytes,
 *       the size of the Ed25519 signature it replaces, so the reply envelope keeps its layout. Only this
 *       client and this replica can make it, so a reply that checks is this replica's vote, as a signed
 *       one was (PBFT §4.1 authenticates replies with MACs the same way).</li>
 *   <li>A request's authenticator is HMAC-SHA256 of the request's signed bytes and its signature under the
 *       request key: 32 bytes, sent to this replica alone. It says that this client sent exactly these
 *       bytes with exactly this signature; it says nothing about whether the signature verifies.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe; every MAC uses a per-thread JDK {@link Mac}.
 */
public final class PairwiseKey {
    public static final int REQUEST_AUTHENTICATOR_BYTES = 32;
    public static final int REPLY_AUTHENTICATOR_BYTES = 64;
    private static final int KEY_BYTES = 32;
    private static final byte[] SALT = "concordat pairwise keys v1".getBytes(StandardCharsets.US_ASCII);
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(() -> mac("HmacSHA256"));
    private static final ThreadLocal<Mac> HMAC_SHA512 = ThreadLocal.withInitial(() -> mac("HmacSHA512"));

    private final SecretKeySpec requestKey;
    private final SecretKeySpec replyKey;

    private PairwiseKey(byte[] requestKey, byte[] replyKey) {
        this.requestKey = new SecretKeySpec(requestKey, "HmacSHA256");
        this.replyKey = new SecretKeySpec(replyKey, "HmacSHA512");
    }

    /** The keys of {@code client} and {@code replica} from their shared 32-byte secret. */
    public static PairwiseKey derive(Bytes sharedSecret, PublicKey client, PublicKey replica) {
        Objects.requireNonNull(sharedSecret, "sharedSecret");
        byte[] info = new byte[2 * PublicKey.SIZE_BYTES];
        System.arraycopy(client.encoded().unsafeArray(), 0, info, 0, PublicKey.SIZE_BYTES);
        System.arraycopy(replica.encoded().unsafeArray(), 0, info, PublicKey.SIZE_BYTES, PublicKey.SIZE_BYTES);
        var hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sharedSecret.toByteArray(), SALT, info));
        byte[] keys = new byte[2 * KEY_BYTES];
        hkdf.generateBytes(keys, 0, keys.length);
        byte[] request = new byte[KEY_BYTES];
        byte[] reply = new byte[KEY_BYTES];
        System.arraycopy(keys, 0, request, 0, KEY_BYTES);
        System.arraycopy(keys, KEY_BYTES, reply, 0, KEY_BYTES);
        return new PairwiseKey(request, reply);
    }

    /** The client's authenticator of a signed request for this replica. */
    public Bytes requestAuthenticator(Bytes encoded, Bytes signature) {
        Mac mac = keyed(HMAC_SHA256.get(), requestKey);
        mac.update(encoded.unsafeArray());
        mac.update(signature.unsafeArray());
        return Bytes.wrap(mac.doFinal());
    }

    /** Whether {@code authenticator} is this client's authenticator of exactly these bytes; constant time. */
    public boolean checkRequest(Bytes encoded, Bytes signature, Bytes authenticator) {
        return authenticator.size() == REQUEST_AUTHENTICATOR_BYTES && MessageDigest.isEqual(
                requestAuthenticator(encoded, signature).unsafeArray(), authenticator.unsafeArray());
    }

    /** The replica's authenticator of its reply's signed bytes. */
    public Bytes replyAuthenticator(Bytes encoded) {
        return Bytes.wrap(keyed(HMAC_SHA512.get(), replyKey).doFinal(encoded.unsafeArray()));
    }

    /** Whether {@code authenticator} is this replica's authenticator of {@code encoded}; constant time. */
    public boolean checkReply(Bytes encoded, Bytes authenticator) {
        return authenticator.size() == REPLY_AUTHENTICATOR_BYTES
                && MessageDigest.isEqual(replyAuthenticator(encoded).unsafeArray(), authenticator.unsafeArray());
    }

    /** Never shows the keys. */
    @Override
    public String toString() {
        return "PairwiseKey[redacted]";
    }

    private static Mac keyed(Mac mac, SecretKeySpec key) {
        try {
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("a 32-byte HMAC key is always valid", impossible);
        }
    }

    private static Mac mac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("every Java platform has " + algorithm, impossible);
        }
    }
}
