package io.concordat.launcher;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.endpoint.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    @Test
    void countersBecomeLabelledSamples() {
        Map<String, Long> counters = new TreeMap<>(Map.of("dropped.BAD_SIGNATURE", 3L, "weird\"name", 1L));
        Map<ErrorCode, Long> errors = new EnumMap<>(Map.of(ErrorCode.STALE_REQUEST, 2L));

        String text = PrometheusText.render(1, counters, errors, 42);

        assertTrue(text.contains("# TYPE concordat_replica_events_total counter\n"), text);
        assertTrue(text.contains("concordat_replica_events_total{replica=\"1\",event=\"dropped.BAD_SIGNATURE\"} 3\n"),
                text);
        assertTrue(text.contains("event=\"weird\\\"name\"} 1\n"), text);
        assertTrue(text.contains("concordat_client_endpoint_requests_forwarded_total{replica=\"1\"} 42\n"), text);
        assertTrue(text.contains("concordat_client_endpoint_errors_total{replica=\"1\",code=\"STALE_REQUEST\"} 2\n"),
                text);
        assertTrue(text.endsWith("\n"));
    }
}
