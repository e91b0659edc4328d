package io.concordat.config;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.SignatureVerifier;
import io.concordat.crypto.Signer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A cluster definition with the administrator's Ed25519 signature over its {@link CanonicalForm}. A node
 * starts only from a definition whose signature verifies under an administrator key it already trusts: a
 * replica set is security-critical (it decides whose votes count), so nobody who can edit a file on one host
 * may change it.
 *
 * @param definition the definition as read
 * @param signedDigest the SHA-256 of the canonical bytes the administrator signed; kept so that a mismatch
 *     can be reported as "the definition changed" rather than only "the signature is wrong"
 * @param administratorFingerprint which administrator key signed
 * @param signature the 64-byte Ed25519 signature of the canonical bytes
 */
public record SignedClusterDefinition(ClusterDefinition definition, Digest signedDigest,
        KeyFingerprint administratorFingerprint, Bytes signature) {

    static final String FINGERPRINT_KEY = "administrator-fingerprint";
    static final String DIGEST_KEY = "definition-digest";
    static final String SIGNATURE_KEY = "signature";

    public SignedClusterDefinition {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(signedDigest, "signedDigest");
        Objects.requireNonNull(administratorFingerprint, "administratorFingerprint");
        Objects.requireNonNull(signature, "signature");
    }

    /** Signs the canonical bytes of {@code definition} with the administrator's key. */
    public static SignedClusterDefinition sign(ClusterDefinition definition, Signer administrator) {
        Bytes canonical = CanonicalForm.bytes(definition);
        return new SignedClusterDefinition(definition, CanonicalForm.digest(definition),
                KeyFingerprint.of(administrator.publicKey()), administrator.sign(canonical));
    }

    /**
     * Returns the definition if it is signed by one of {@code trustedAdministratorKeys} and unchanged since;
     * otherwise throws a {@link ClusterDefinitionException} that says which check failed.
     */
    public ClusterDefinition verify(Collection<PublicKey> trustedAdministratorKeys, SignatureVerifier verifier) {
        Objects.requireNonNull(trustedAdministratorKeys, "trustedAdministratorKeys");
        Objects.requireNonNull(verifier, "verifier");
        if (trustedAdministratorKeys.isEmpty()) {
            throw new ClusterDefinitionException(new Problem(FINGERPRINT_KEY,
                    "no trusted administrator key was given, so no definition can be accepted"));
        }
        Optional<PublicKey> administrator = trustedAdministratorKeys.stream()
                .filter(administratorFingerprint::matches)
                .findFirst();
        if (administrator.isEmpty()) {
            List<String> trusted = new ArrayList<>();
            for (PublicKey key : trustedAdministratorKeys) {
                trusted.add(KeyFingerprint.of(key).toString());
            }
            throw new ClusterDefinitionException(new Problem(FINGERPRINT_KEY, "the definition is signed by"
                    + " administrator key " + administratorFingerprint + ", which is not a trusted administrator"
                    + " key (trusted: " + String.join(", ", trusted) + ")"));
        }
        Digest actualDigest = CanonicalForm.digest(definition);
        if (!actualDigest.equals(signedDigest)) {
            throw new ClusterDefinitionException(new Problem(DIGEST_KEY, "the definition was changed after it was"
                    + " signed: its canonical digest is " + digestText(actualDigest) + " but the administrator"
                    + " signed " + digestText(signedDigest) + "; have the administrator review and sign it again"));
        }
        if (!verifier.verify(administrator.get(), CanonicalForm.bytes(definition), signature)) {
            throw new ClusterDefinitionException(new Problem(SIGNATURE_KEY, "the signature does not verify under"
                    + " administrator key " + administratorFingerprint + ": the definition or the signature was"
                    + " altered after signing"));
        }
        return definition;
    }

    static String digestText(Digest digest) {
        return KeyText.DIGEST_PREFIX + digest.value().toHex();
    }
}
