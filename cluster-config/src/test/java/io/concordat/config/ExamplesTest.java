package io.concordat.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.crypto.KeyEncoding;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped examples: wrong only in their marked placeholder keys, and valid once those are filled in. */
class ExamplesTest {
    private static final Pattern PLACEHOLDER = Pattern.compile("ed25519-public:PLACEHOLDER-[a-z0-9-]+");

    @ParameterizedTest
    @CsvSource({"local-4.conf, 4, 0", "local-7.conf, 7, 0", "multi-host.conf, 4, 2"})
    void everyProblemOfAnExampleIsAMarkedPlaceholder(String example, int replicas, int clients) throws IOException {
        String text = read(example);

        List<Problem> problems = assertThrows(ClusterDefinitionException.class,
                () -> ClusterDefinitionLoader.parse(text)).problems();

        assertEquals(replicas + clients, problems.size(), problems::toString);
        for (Problem problem : problems) {
            assertTrue(problem.message().contains("is still a placeholder"), problem::toString);
        }
    }

    @ParameterizedTest
    @CsvSource({"local-4.conf, 4, 0", "local-7.conf, 7, 0", "multi-host.conf, 4, 2"})
    void anExampleWithRealKeysLoads(String example, int replicas, int clients) throws IOException {
        Matcher placeholders = PLACEHOLDER.matcher(read(example));
        StringBuilder filled = new StringBuilder();
        int seed = 0;
        while (placeholders.find()) {
            placeholders.appendReplacement(filled,
                    KeyEncoding.encodePublicKey(TestDefinitions.keyPair(500 + seed++).publicKey()));
        }
        placeholders.appendTail(filled);

        ClusterDefinition definition = ClusterDefinitionLoader.parse(filled.toString());

        assertEquals(replicas, definition.size());
        assertEquals(clients, definition.allowedClientKeys().size());
    }

    private static String read(String example) throws IOException {
        try (InputStream input = ExamplesTest.class.getResourceAsStream("/examples/" + example)) {
            assertNotNull(input, example);
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
