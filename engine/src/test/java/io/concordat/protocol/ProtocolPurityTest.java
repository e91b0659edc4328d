package io.concordat.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The protocol core must stay pure: no Pekko, no I/O, no clock, no threads, no unseeded randomness. The
 * same core runs in the deterministic simulator and in the actor, which is only sound if nothing in it can
 * observe the outside world. This test fails the build the moment anything in {@code protocol/} imports
 * outside an allowlist or calls a clock.
 */
class ProtocolPurityTest {
    private static final Path PROTOCOL_SOURCES = Path.of("src/main/java/io/concordat/protocol");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+)(\\.\\*)?;", Pattern.MULTILINE);
    private static final List<String> ALLOWED_PREFIXES = List.of(
            "java.util.", "java.lang.", "io.concordat.protocol.", "io.concordat.crypto.", "io.concordat.common.",
            "io.concordat.app.");
    private static final List<String> FORBIDDEN_PREFIXES = List.of(
            "java.util.concurrent", "java.util.Random", "java.util.logging", "java.util.Timer", "java.util.zip",
            "java.util.prefs", "java.util.ServiceLoader", "java.lang.Thread", "java.lang.System", "java.lang.Runtime",
            "java.lang.ProcessBuilder", "java.lang.reflect");
    private static final List<String> FORBIDDEN_CALLS = List.of(
            "System.currentTimeMillis", "System.nanoTime", "Instant.now", "new Random(", "Math.random",
            "new Thread(", "SecureRandom", "System.getenv", "System.getProperty");

    @Test
    void theProtocolCoreImportsOnlyPureCode() throws IOException {
        List<String> violations = new ArrayList<>();
        for (Path file : sources()) {
            String source = Files.readString(file);
            Matcher matcher = IMPORT.matcher(source);
            while (matcher.find()) {
                String imported = matcher.group(2);
                boolean allowed = ALLOWED_PREFIXES.stream().anyMatch(imported::startsWith)
                        && FORBIDDEN_PREFIXES.stream().noneMatch(imported::startsWith);
                if (!allowed) {
                    violations.add(file.getFileName() + " imports " + imported);
                }
            }
            for (String call : FORBIDDEN_CALLS) {
                if (source.contains(call)) {
                    violations.add(file.getFileName() + " uses " + call);
                }
            }
        }
        assertEquals(List.of(), violations, "the protocol core must not do I/O, read clocks or use Pekko");
    }

    @Test
    void theCheckSeesTheSourcesAndCatchesAViolation() throws IOException {
        List<Path> files = sources();
        assertTrue(files.size() > 10, "expected the protocol sources under " + PROTOCOL_SOURCES.toAbsolutePath());
        Matcher matcher = IMPORT.matcher("import org.apache.pekko.actor.typed.ActorRef;\n");
        assertTrue(matcher.find());
        assertFalse(ALLOWED_PREFIXES.stream().anyMatch(matcher.group(2)::startsWith));
    }

    private static List<Path> sources() throws IOException {
        try (Stream<Path> walk = Files.walk(PROTOCOL_SOURCES)) {
            return walk.filter(path -> path.toString().endsWith(".java")).sorted().toList();
        }
    }
}
