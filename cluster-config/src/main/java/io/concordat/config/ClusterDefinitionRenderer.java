package io.concordat.config;

import com.typesafe.config.ConfigUtil;
import io.concordat.crypto.PublicKey;
import java.util.Iterator;

/**
 * Writes a cluster definition as HOCON that {@link ClusterDefinitionLoader} reads back to an equal
 * definition. Every protocol setting is written out, so the file shows exactly what was signed and does not
 * depend on the defaults of the version that reads it.
 */
public final class ClusterDefinitionRenderer {
    private static final long KIBIBYTE = 1024;
    private static final long MEBIBYTE = 1024 * KIBIBYTE;

    private ClusterDefinitionRenderer() {}

    public static String toHocon(ClusterDefinition definition) {
        StringBuilder text = new StringBuilder();
        text.append("# Concordat cluster definition (format: cluster-config/README.md).\n")
                .append("# The administrator signs its canonical form; any change to a value invalidates the\n")
                .append("# detached signature file next to it, while comments and layout do not.\n")
                .append(Keys.CLUSTER_PATH).append(" {\n")
                .append("  ").append(Keys.NAME).append(" = ").append(ConfigUtil.quoteString(definition.name()))
                .append('\n')
                .append("  ").append(Keys.FAULTS_TOLERATED).append(" = ").append(definition.faultsTolerated())
                .append('\n')
                .append("  ").append(Keys.REPLICAS).append(" = [\n");
        for (ReplicaDefinition replica : definition.replicas()) {
            text.append("    { ")
                    .append(Keys.ID).append(" = ").append(replica.id()).append(", ")
                    .append(Keys.HOST).append(" = ").append(ConfigUtil.quoteString(replica.host())).append(", ")
                    .append(Keys.ARTERY_PORT).append(" = ").append(replica.arteryPort()).append(", ")
                    .append(Keys.CLIENT_PORT).append(" = ").append(replica.clientPort()).append(", ")
                    .append(Keys.ADMIN_PORT).append(" = ").append(replica.adminPort()).append(",\n")
                    .append("      ").append(Keys.PUBLIC_KEY).append(" = ")
                    .append(ConfigUtil.quoteString(KeyText.publicKey(replica.publicKey()))).append(" }\n");
        }
        text.append("  ]\n");
        appendProtocol(text, definition.protocol());
        appendClientKeys(text, definition);
        return text.append("}\n").toString();
    }

    private static void appendProtocol(StringBuilder text, ProtocolSettings protocol) {
        text.append("  ").append(Keys.PROTOCOL).append(" {\n");
        setting(text, Keys.CHECKPOINT_INTERVAL, Integer.toString(protocol.checkpointInterval()));
        setting(text, Keys.WATERMARK_WINDOW, Integer.toString(protocol.watermarkWindow()));
        setting(text, Keys.BATCH_MAX_REQUESTS, Integer.toString(protocol.batchMaxRequests()));
        setting(text, Keys.BATCH_MAX_BYTES, size(protocol.batchMaxBytes()));
        setting(text, Keys.BATCH_DELAY, Durations.render(protocol.batchDelay()));
        setting(text, Keys.REQUEST_MAX_BYTES, size(protocol.requestMaxBytes()));
        setting(text, Keys.PENDING_REQUESTS_MAX, Integer.toString(protocol.pendingRequestsMax()));
        setting(text, Keys.TICK_INTERVAL, Durations.render(protocol.tickInterval()));
        setting(text, Keys.VIEW_CHANGE_TIMEOUT, Durations.render(protocol.viewChangeTimeout()));
        setting(text, Keys.STATUS_INTERVAL, Durations.render(protocol.statusInterval()));
        text.append("  }\n");
    }

    private static void appendClientKeys(StringBuilder text, ClusterDefinition definition) {
        if (definition.allowedClientKeys().isEmpty()) {
            text.append("  # Any client with a valid signature may submit requests.\n")
                    .append("  ").append(Keys.ALLOWED_CLIENT_KEYS).append(" = []\n");
            return;
        }
        text.append("  ").append(Keys.ALLOWED_CLIENT_KEYS).append(" = [\n");
        Iterator<PublicKey> keys = definition.allowedClientKeys().iterator();
        while (keys.hasNext()) {
            text.append("    ").append(ConfigUtil.quoteString(KeyText.publicKey(keys.next())))
                    .append(keys.hasNext() ? ",\n" : "\n");
        }
        text.append("  ]\n");
    }

    private static void setting(StringBuilder text, String key, String value) {
        text.append("    ").append(key).append(" = ").append(value).append('\n');
    }

    private static String size(int bytes) {
        if (bytes % MEBIBYTE == 0) {
            return bytes / MEBIBYTE + "MiB";
        }
        if (bytes % KIBIBYTE == 0) {
            return bytes / KIBIBYTE + "KiB";
        }
        return Integer.toString(bytes);
    }
}
