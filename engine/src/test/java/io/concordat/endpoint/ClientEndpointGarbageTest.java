package io.concordat.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.endpoint.EndpointFixtures.Answer;
import io.concordat.endpoint.EndpointFixtures.RecordingHandler;
import java.net.URI;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded random bodies and mutations of a valid request: every one gets a 4xx that names its error, none
 * reaches the replica, and the endpoint keeps serving valid requests afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientEndpointGarbageTest {
    private static final Set<Integer> CLIENT_ERRORS = Set.of(400, 403, 413);

    private final ActorTestKit testKit = ActorTestKit.create("ClientEndpointGarbageTest");
    private final RecordingHandler handler = RecordingHandler.replying("ok");
    private ClientEndpoint endpoint;
    private URI base;

    @BeforeAll
    void start() {
        endpoint = ClientEndpoint.start(testKit.system(),
                ClientEndpointSettings.defaults("127.0.0.1", 0, 0).withSizeLimits(2048, 1024), handler)
                .toCompletableFuture().join();
        base = endpoint.uri();
    }

    @AfterAll
    void stop() {
        endpoint.close();
        testKit.shutdownTestKit();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void randomAndMutatedBodiesAreRefusedWithAReasonAndNeverForwarded(long seed) {
        var random = new SplittableRandom(seed);
        int forwardedBefore = handler.received.size();
        for (int round = 0; round < 20; round++) {
            Bytes body = round % 2 == 0 ? randomBytes(random) : mutated(random);

            Answer answer = EndpointFixtures.post(base, ClientEndpoint.REQUESTS_PATH, "application/x-protobuf", body);

            assertTrue(CLIENT_ERRORS.contains(answer.status()),
                    () -> "seed " + seed + ": status " + answer.status() + " " + answer.text());
            assertTrue(answer.errorCode().isPresent(), () -> "seed " + seed + ": no error code");
            assertTrue(!answer.text().isBlank(), () -> "seed " + seed + ": no reason");
        }
        assertEquals(forwardedBefore, handler.received.size(), "seed " + seed + ": garbage was forwarded");
        Answer valid = EndpointFixtures.post(base, ClientEndpoint.REQUESTS_PATH, "application/x-protobuf",
                EndpointFixtures.requestEnvelope(seed, "still serving"));
        assertEquals(200, valid.status(), valid.text());
    }

    private static Bytes randomBytes(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(1, 3000)];
        random.nextBytes(bytes);
        return Bytes.wrap(bytes);
    }

    /** A valid signed request with one byte changed, cut short, or with bytes appended. */
    private static Bytes mutated(SplittableRandom random) {
        byte[] valid = EndpointFixtures.requestEnvelope(random.nextLong(1, 1_000), "operation-" + random.nextInt())
                .toByteArray();
        int kind = random.nextInt(3);
        if (kind == 0) {
            valid[random.nextInt(valid.length)] ^= (byte) random.nextInt(1, 256);
            return Bytes.wrap(valid);
        }
        if (kind == 1) {
            return Bytes.copyOf(valid, 0, random.nextInt(1, valid.length));
        }
        byte[] longer = java.util.Arrays.copyOf(valid, valid.length + random.nextInt(1, 16));
        for (int index = valid.length; index < longer.length; index++) {
            longer[index] = (byte) random.nextInt(256);
        }
        return Bytes.wrap(longer);
    }
}
