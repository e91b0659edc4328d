package io.concordat.launcher;

import io.concordat.endpoint.ErrorCode;
import java.util.Map;

/**
 * The admin endpoint's {@code GET /metrics}: the replica's counters and the client endpoint's error counts
 * in the Prometheus text exposition format (version 0.0.4). Counter names such as
 * {@code dropped.BAD_SIGNATURE} become one metric with a label:
 * {@code concordat_replica_events_total{replica="0",event="dropped.BAD_SIGNATURE"} 3}.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {}

    static String render(int replicaId, Map<String, Long> replicaCounters, Map<ErrorCode, Long> endpointErrors,
            long forwardedRequests) {
        var out = new StringBuilder();
        out.append("# HELP concordat_replica_events_total Replica shell counters (drops, rejections, hints).\n");
        out.append("# TYPE concordat_replica_events_total counter\n");
        replicaCounters.forEach((name, value) -> out.append("concordat_replica_events_total{replica=\"")
                .append(replicaId).append("\",event=\"").append(escape(name)).append("\"} ").append(value).append('\n'));
        out.append("# HELP concordat_client_endpoint_requests_forwarded_total Requests that passed the endpoint's"
                + " checks.\n");
        out.append("# TYPE concordat_client_endpoint_requests_forwarded_total counter\n");
        out.append("concordat_client_endpoint_requests_forwarded_total{replica=\"").append(replicaId).append("\"} ")
                .append(forwardedRequests).append('\n');
        out.append("# HELP concordat_client_endpoint_errors_total Error answers of the client endpoint, by code.\n");
        out.append("# TYPE concordat_client_endpoint_errors_total counter\n");
        endpointErrors.forEach((code, value) -> out.append("concordat_client_endpoint_errors_total{replica=\"")
                .append(replicaId).append("\",code=\"").append(code.name()).append("\"} ").append(value).append('\n'));
        return out.toString();
    }

    private static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
