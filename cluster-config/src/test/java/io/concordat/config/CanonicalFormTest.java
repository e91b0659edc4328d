package io.concordat.config;

import static io.concordat.config.TestDefinitions.clientKey;
import static io.concordat.config.TestDefinitions.keyText;
import static io.concordat.config.TestDefinitions.replicaKey;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.concordat.crypto.Sha256;
import org.junit.jupiter.api.Test;

class CanonicalFormTest {

    /** Pins the documented format: a change here is a new version of what administrators sign. */
    @Test
    void canonicalTextIsExactlyTheDocumentedForm() {
        String expected = "concordat-cluster-definition v1\n"
                + "name \"test-4\"\n"
                + "faults-tolerated 1\n"
                + replicaLine(0) + replicaLine(1) + replicaLine(2) + replicaLine(3)
                + "protocol checkpoint-interval 64\n"
                + "protocol watermark-window 256\n"
                + "protocol batch-max-requests 100\n"
                + "protocol batch-max-bytes 1048576\n"
                + "protocol batch-delay-nanoseconds 5000000\n"
                + "protocol request-max-bytes 65536\n"
                + "protocol pending-requests-max 5000\n"
                + "protocol tick-interval-nanoseconds 10000000\n"
                + "protocol view-change-timeout-nanoseconds 3000000000\n"
                + "protocol status-interval-nanoseconds 250000000\n"
                + clientLines()
                + "end\n";

        assertEquals(expected, CanonicalForm.text(TestDefinitions.definition(4)));
        assertEquals(Sha256.of(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                CanonicalForm.digest(TestDefinitions.definition(4)));
    }

    @Test
    void layoutCommentsKeyOrderUnitsAndDefaultsDoNotChangeTheCanonicalForm() {
        String compact = TestDefinitions.validText();
        String rearranged = "concordat {\n  cluster {\n"
                + "    protocol { watermark-window = 200, checkpoint-interval = 100, batch-delay = 10000us,"
                + " tick-interval = 0.01s, batch-max-bytes = 1024KiB }\n"
                + "    # the replicas, out of order\n"
                + "    replicas = [\n"
                + replicaObject(3) + replicaObject(1) + replicaObject(0) + replicaObject(2)
                + "    ]\n"
                + "    faults-tolerated: 1\n"
                + "    name: test-cluster\n"
                + "    allowed-client-keys = []\n"
                + "  }\n}\n";

        assertEquals(CanonicalForm.bytes(ClusterDefinitionLoader.parse(compact)),
                CanonicalForm.bytes(ClusterDefinitionLoader.parse(rearranged)));
    }

    @Test
    void stringsAreQuotedInjectively() {
        assertEquals("\"a\\\"b\\\\c\\u000a\\u007f\"", CanonicalForm.quote("a\"b\\c\n\u007f"));
        assertEquals("\"plain-name_1\"", CanonicalForm.quote("plain-name_1"));
    }

    private static String replicaLine(int id) {
        return "replica " + id + " host \"127.0.0.1\" artery-port " + (25520 + id) + " client-port " + (25620 + id)
                + " admin-port " + (25720 + id) + " public-key " + keyText(replicaKey(id)) + "\n";
    }

    private static String clientLines() {
        String first = keyText(clientKey(0));
        String second = keyText(clientKey(1));
        if (clientKey(0).compareTo(clientKey(1)) > 0) {
            String swap = first;
            first = second;
            second = swap;
        }
        return "allowed-client-key " + first + "\nallowed-client-key " + second + "\n";
    }

    private static String replicaObject(int id) {
        return "      { public-key = \"" + keyText(replicaKey(id)) + "\", admin-port = " + (25720 + id)
                + ", client-port = " + (25620 + id) + ", artery-port = " + (25520 + id) + ", host = \"127.0.0.1\","
                + " id = " + id + " }\n";
    }
}
