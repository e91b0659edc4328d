package io.concordat.launcher;

import io.concordat.crypto.Digest;
import io.concordat.membership.PeerReachability;
import io.concordat.protocol.DropReason;
import io.concordat.protocol.ReplicaStatus;
import io.concordat.replica.ExecutedState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The JSON body of the admin endpoint's {@code GET /v1/status} (docs/operations.md, "Admin endpoint").
 * Field names are stable; tools such as {@code concordat status} read them.
 */
public final class StatusDocument {
    public static final String REPLICA_ID = "replicaId";
    public static final String VIEW = "view";
    public static final String PRIMARY = "primary";
    public static final String LAST_EXECUTED_SEQUENCE = "lastExecutedSequence";
    public static final String LOW_WATERMARK = "lowWatermark";
    public static final String HIGH_WATERMARK = "highWatermark";
    public static final String STABLE_CHECKPOINT_DIGEST = "stableCheckpointDigest";
    public static final String PENDING_REQUESTS = "pendingRequests";
    public static final String DROP_COUNTS = "dropCounts";
    public static final String APPLICATION_STATE = "applicationState";
    public static final String SEQUENCE = "sequence";
    public static final String DIGEST = "digest";
    public static final String PEER_REACHABILITY = "peerReachability";
    public static final String ERROR = "error";

    private StatusDocument() {}

    /**
     * The replica's status; {@code executedState} adds the application's state digest, which replicas that
     * executed the same sequence number must agree on; {@code peerReachability} is how this node's Pekko
     * cluster sees every replica's node (a hint for operators, never used by the protocol).
     */
    public static String render(ReplicaStatus status, Optional<ExecutedState> executedState,
            Map<Integer, PeerReachability> peerReachability) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put(REPLICA_ID, status.replicaId());
        document.put(VIEW, status.view());
        document.put(PRIMARY, status.primary());
        document.put(LAST_EXECUTED_SEQUENCE, status.lastExecutedSequence());
        document.put(LOW_WATERMARK, status.lowWatermark());
        document.put(HIGH_WATERMARK, status.highWatermark());
        document.put(STABLE_CHECKPOINT_DIGEST, status.stableCheckpointDigest().map(StatusDocument::hex));
        document.put(PENDING_REQUESTS, status.pendingRequests());
        Map<String, Object> drops = new TreeMap<>();
        for (Map.Entry<DropReason, Long> drop : status.dropCounts().entrySet()) {
            drops.put(drop.getKey().name(), drop.getValue());
        }
        document.put(DROP_COUNTS, drops);
        document.put(APPLICATION_STATE, executedState.map(state -> {
            Map<String, Object> application = new LinkedHashMap<>();
            application.put(SEQUENCE, state.lastExecutedSequence());
            application.put(DIGEST, hex(state.applicationStateDigest()));
            return application;
        }));
        Map<String, Object> peers = new LinkedHashMap<>();
        peerReachability.forEach((replicaId, reachability) -> peers.put(String.valueOf(replicaId), reachability.name()));
        document.put(PEER_REACHABILITY, peers);
        return Json.compact(document);
    }

    /** What the endpoint answers (with 503) when the replica does not answer. */
    public static String unavailable(int replicaId, String reason) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put(REPLICA_ID, replicaId);
        document.put(ERROR, reason);
        return Json.compact(document);
    }

    /** {@code sha256:<64 hex>}, as key fingerprints and signature files write digests. */
    static String hex(Digest digest) {
        return "sha256:" + digest.value().toHex();
    }
}
