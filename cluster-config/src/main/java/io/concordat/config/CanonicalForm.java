package io.concordat.config;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.PublicKey;
import io.concordat.crypto.Sha256;
import java.time.Duration;

/**
 * The canonical bytes of a cluster definition: what the administrator signs. They are a function of the
 * parsed definition alone, so two HOCON files that differ only in layout, comments, key order, units
 * ({@code 1s} or {@code 1000ms}) or left-out defaults have the same canonical bytes, and a change to any
 * field changes them.
 *
 * <p>Version 1, UTF-8, every line ended by one LF ({@code \n}), no other whitespace than the single spaces
 * shown, in exactly this order:
 * <pre>
 * concordat-cluster-definition v1
 * name "NAME"
 * faults-tolerated F
 * replica ID host "HOST" artery-port P client-port P admin-port P public-key ed25519-public:HEX   (one line
 *                                                                              per replica, ids 0..n-1 ascending)
 * protocol checkpoint-interval N
 * protocol watermark-window N
 * protocol batch-max-requests N
 * protocol batch-max-bytes N
 * protocol batch-delay-nanoseconds N
 * protocol request-max-bytes N
 * protocol pending-requests-max N
 * protocol tick-interval-nanoseconds N
 * protocol view-change-timeout-nanoseconds N
 * protocol status-interval-nanoseconds N
 * allowed-client-key ed25519-public:HEX     (zero or more, ascending unsigned byte order of the 32-byte key)
 * end
 * </pre>
 * Numbers are decimal without leading zeros or a sign; sizes are in bytes and durations in nanoseconds.
 * HEX is lowercase, 64 digits. Strings are in double quotes with {@code \} and {@code "} escaped by a
 * backslash and every character below U+0020 or equal to U+007F written as {@code \}{@code uXXXX}
 * (lowercase hex); the rules already forbid such characters in names and hosts, but the escaping keeps the
 * encoding injective whatever a future rule allows. A new field means a new version line.
 */
public final class CanonicalForm {
    static final String VERSION_LINE = "concordat-cluster-definition v1";

    private CanonicalForm() {}

    public static Bytes bytes(ClusterDefinition definition) {
        return Bytes.ofUtf8(text(definition));
    }

    public static Digest digest(ClusterDefinition definition) {
        return Sha256.of(bytes(definition));
    }

    static String text(ClusterDefinition definition) {
        StringBuilder text = new StringBuilder();
        line(text, VERSION_LINE);
        line(text, "name " + quote(definition.name()));
        line(text, "faults-tolerated " + definition.faultsTolerated());
        for (ReplicaDefinition replica : definition.replicas()) {
            line(text, "replica " + replica.id()
                    + " host " + quote(replica.host())
                    + " artery-port " + replica.arteryPort()
                    + " client-port " + replica.clientPort()
                    + " admin-port " + replica.adminPort()
                    + " public-key " + key(replica.publicKey()));
        }
        ProtocolSettings protocol = definition.protocol();
        line(text, "protocol checkpoint-interval " + protocol.checkpointInterval());
        line(text, "protocol watermark-window " + protocol.watermarkWindow());
        line(text, "protocol batch-max-requests " + protocol.batchMaxRequests());
        line(text, "protocol batch-max-bytes " + protocol.batchMaxBytes());
        line(text, "protocol batch-delay-nanoseconds " + nanoseconds(protocol.batchDelay()));
        line(text, "protocol request-max-bytes " + protocol.requestMaxBytes());
        line(text, "protocol pending-requests-max " + protocol.pendingRequestsMax());
        line(text, "protocol tick-interval-nanoseconds " + nanoseconds(protocol.tickInterval()));
        line(text, "protocol view-change-timeout-nanoseconds " + nanoseconds(protocol.viewChangeTimeout()));
        line(text, "protocol status-interval-nanoseconds " + nanoseconds(protocol.statusInterval()));
        for (PublicKey clientKey : definition.allowedClientKeys()) {
            line(text, "allowed-client-key " + key(clientKey));
        }
        line(text, "end");
        return text.toString();
    }

    private static void line(StringBuilder text, String line) {
        text.append(line).append('\n');
    }

    /** ClusterDefinition holds the client keys in a sorted set ordered as PublicKey compares: unsigned bytes. */
    private static String key(PublicKey key) {
        return KeyText.PUBLIC_PREFIX + key.encoded().toHex();
    }

    private static long nanoseconds(Duration duration) {
        return duration.toNanos();
    }

    static String quote(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            if (character == '"' || character == '\\') {
                quoted.append('\\').append(character);
            } else if (character < 0x20 || character == 0x7f) {
                quoted.append(String.format("\\u%04x", (int) character));
            } else {
                quoted.append(character);
            }
        }
        return quoted.append('"').toString();
    }
}
