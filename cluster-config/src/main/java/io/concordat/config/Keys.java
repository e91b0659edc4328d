package io.concordat.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The HOCON key names of a cluster definition, in one place so that the reader, the unknown-key check, the
 * rules' error paths and the renderer cannot drift apart.
 */
final class Keys {
    static final String ROOT = "concordat";
    static final String CLUSTER = "cluster";
    static final String CLUSTER_PATH = ROOT + "." + CLUSTER;

    static final String NAME = "name";
    static final String FAULTS_TOLERATED = "faults-tolerated";
    static final String REPLICAS = "replicas";
    static final String PROTOCOL = "protocol";
    static final String ALLOWED_CLIENT_KEYS = "allowed-client-keys";
    static final List<String> CLUSTER_KEYS = List.of(NAME, FAULTS_TOLERATED, REPLICAS, PROTOCOL, ALLOWED_CLIENT_KEYS);

    static final String ID = "id";
    static final String HOST = "host";
    static final String ARTERY_PORT = "artery-port";
    static final String CLIENT_PORT = "client-port";
    static final String ADMIN_PORT = "admin-port";
    static final String PUBLIC_KEY = "public-key";
    static final List<String> REPLICA_KEYS = List.of(ID, HOST, ARTERY_PORT, CLIENT_PORT, ADMIN_PORT, PUBLIC_KEY);
    static final List<String> PORT_KEYS = List.of(ARTERY_PORT, CLIENT_PORT, ADMIN_PORT);

    static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
    static final String WATERMARK_WINDOW = "watermark-window";
    static final String BATCH_MAX_REQUESTS = "batch-max-requests";
    static final String BATCH_MAX_BYTES = "batch-max-bytes";
    static final String BATCH_DELAY = "batch-delay";
    static final String REQUEST_MAX_BYTES = "request-max-bytes";
    static final String PENDING_REQUESTS_MAX = "pending-requests-max";
    static final String TICK_INTERVAL = "tick-interval";
    static final String VIEW_CHANGE_TIMEOUT = "view-change-timeout";
    static final String STATUS_INTERVAL = "status-interval";
    static final List<String> PROTOCOL_KEYS = List.of(CHECKPOINT_INTERVAL, WATERMARK_WINDOW, BATCH_MAX_REQUESTS,
            BATCH_MAX_BYTES, BATCH_DELAY, REQUEST_MAX_BYTES, PENDING_REQUESTS_MAX, TICK_INTERVAL, VIEW_CHANGE_TIMEOUT,
            STATUS_INTERVAL);

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

    private Keys() {}

    static String cluster(String key) {
        return CLUSTER_PATH + "." + key;
    }

    static String replicas() {
        return cluster(REPLICAS);
    }

    static String replica(int index) {
        return replicas() + "[" + index + "]";
    }

    static String replica(int index, String key) {
        return replica(index) + "." + key;
    }

    static String protocol(String key) {
        return cluster(PROTOCOL) + "." + key;
    }

    static String allowedClientKey(int index) {
        return cluster(ALLOWED_CLIENT_KEYS) + "[" + index + "]";
    }

    /** Appends {@code key} to {@code prefix}, quoting it as HOCON would if it is not a plain word. */
    static String child(String prefix, String key) {
        String element = PLAIN_KEY.matcher(key).matches() ? key : "\"" + key.replace("\"", "\\\"") + "\"";
        return prefix.isEmpty() ? element : prefix + "." + element;
    }
}
