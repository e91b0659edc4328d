package io.concordat.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The table {@code concordat status} prints: one row per replica, unreachable ones included.
 *
 * <pre>
 * REPLICA  STATE        VIEW  PRIMARY  LAST EXECUTED  STABLE CHECKPOINT        PENDING  ADMIN ENDPOINT
 * 0        serving      0     0        42             0 (none)                 0        http://127.0.0.1:25720
 * 3        unreachable  -     -        -              -                        -        http://127.0.0.1:25723  connection refused
 * </pre>
 *
 * The stable checkpoint is its sequence number (the low watermark h) and the first 12 hex digits of its
 * state digest. The last column explains any replica that is not serving.
 */
final class StatusTable {
    static final List<String> HEADERS = List.of("REPLICA", "STATE", "VIEW", "PRIMARY", "LAST EXECUTED",
            "STABLE CHECKPOINT", "PENDING", "ADMIN ENDPOINT", "");
    private static final int DIGEST_PREFIX_HEX_DIGITS = 12;

    private StatusTable() {}

    static String render(List<ClusterFile.Replica> replicas, List<ReplicaProbe> probes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (int index = 0; index < probes.size(); index++) {
            rows.add(row(probes.get(index), replicas.get(index)));
        }
        return layout(rows);
    }

    /** A line under the table: how many replicas serve, and whether that is enough to make progress. */
    static String summary(int faultsTolerated, List<ReplicaProbe> probes) {
        long serving = probes.stream().filter(probe -> probe instanceof ReplicaProbe.Serving).count();
        int quorum = 2 * faultsTolerated + 1;
        String verdict = serving == probes.size() ? "all replicas serving"
                : serving >= quorum ? "the cluster can make progress (it needs " + quorum + " = 2f+1)"
                : "the cluster CANNOT make progress: it needs " + quorum + " = 2f+1 serving replicas";
        return serving + " of " + probes.size() + " replicas serving, f = " + faultsTolerated + ": " + verdict;
    }

    private static List<String> row(ReplicaProbe probe, ClusterFile.Replica replica) {
        String admin = replica.adminEndpoint().toString();
        String id = String.valueOf(probe.replicaId());
        if (probe instanceof ReplicaProbe.Serving serving) {
            String checkpoint = serving.lowWatermark() + " " + serving.stableCheckpointDigest()
                    .map(StatusTable::shortDigest).orElse("(none)");
            return List.of(id, "serving", String.valueOf(serving.view()), String.valueOf(serving.primary()),
                    String.valueOf(serving.lastExecutedSequence()), checkpoint,
                    String.valueOf(serving.pendingRequests()), admin, "");
        }
        if (probe instanceof ReplicaProbe.NotServing notServing) {
            return List.of(id, "not serving", "-", "-", "-", "-", "-", admin, notServing.reason());
        }
        var unreachable = (ReplicaProbe.Unreachable) probe;
        return List.of(id, "unreachable", "-", "-", "-", "-", "-", admin, unreachable.reason());
    }

    static String shortDigest(String digest) {
        String hex = digest.startsWith("sha256:") ? digest.substring("sha256:".length()) : digest;
        return hex.length() <= DIGEST_PREFIX_HEX_DIGITS ? hex : hex.substring(0, DIGEST_PREFIX_HEX_DIGITS);
    }

    private static String layout(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int column = 0; column < columns; column++) {
                widths[column] = Math.max(widths[column], row.get(column).length());
            }
        }
        var out = new StringBuilder();
        for (List<String> row : rows) {
            var line = new StringBuilder();
            for (int column = 0; column < columns; column++) {
                line.append(row.get(column));
                if (column < columns - 1) {
                    line.append(" ".repeat(widths[column] - row.get(column).length() + 2));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
