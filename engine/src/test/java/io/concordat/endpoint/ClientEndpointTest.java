package io.concordat.endpoint;

import static io.concordat.endpoint.EndpointFixtures.CLIENT_KEYS;
import static io.concordat.endpoint.EndpointFixtures.CODEC;
import static io.concordat.endpoint.EndpointFixtures.OTHER_CLIENT_KEYS;
import static io.concordat.endpoint.EndpointFixtures.REPLICA_KEYS;
import static io.concordat.endpoint.EndpointFixtures.envelope;
import static io.concordat.endpoint.EndpointFixtures.post;
import static io.concordat.endpoint.EndpointFixtures.requestEnvelope;
import static io.concordat.endpoint.EndpointFixtures.signedRequest;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519Verifier;
import io.concordat.endpoint.EndpointFixtures.Answer;
import io.concordat.endpoint.EndpointFixtures.RecordingHandler;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client endpoint over real HTTP on 127.0.0.1, with a test handler that answers canned signed replies. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientEndpointTest {
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String REQUESTS = ClientEndpoint.REQUESTS_PATH;

    private final ActorTestKit testKit = ActorTestKit.create("ClientEndpointTest");
    private ClientEndpoint endpoint;

    @AfterEach
    void stopEndpoint() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @AfterAll
    void stopSystem() {
        testKit.shutdownTestKit();
    }

    private URI start(ClientEndpointSettings settings, RequestHandler handler) {
        endpoint = ClientEndpoint.start(testKit.system(), settings, handler).toCompletableFuture().join();
        return endpoint.uri();
    }

    private URI start(RequestHandler handler) {
        return start(ClientEndpointSettings.defaults("127.0.0.1", 0, 3), handler);
    }

    private static void assertError(Answer answer, int status, ErrorCode code, String bodyStart) {
        assertEquals(status, answer.status(), answer.text());
        assertEquals(Optional.of(code.name()), answer.errorCode(), answer.text());
        assertTrue(answer.text().startsWith(bodyStart), () -> "body: " + answer.text());
    }

    @Test
    void forwardsAValidRequestAndReturnsTheReplicasSignedReply() {
        RecordingHandler handler = RecordingHandler.replying("result-7");
        URI base = start(handler);
        Bytes request = requestEnvelope(7, "operation");

        Answer answer = post(base, REQUESTS, PROTOBUF, request);

        assertEquals(200, answer.status(), answer.text());
        assertEquals(Optional.of(PROTOBUF), answer.contentType());
        assertEquals(List.of(request), List.copyOf(handler.received));
        var decoded = (DecodeResult.Decoded) CODEC.decodeEnvelope(Bytes.wrap(answer.body()));
        @SuppressWarnings("unchecked")
        Signed<Reply> reply = (Signed<Reply>) ((Envelope.MessageEnvelope) decoded.envelope()).message();
        assertEquals(7, reply.body().requestNumber());
        assertEquals("result-7", reply.body().result().toUtf8());
        assertTrue(new Ed25519Verifier().verify(REPLICA_KEYS.publicKey(), reply.encoded(), reply.signature()));
        assertEquals(1, endpoint.forwardedCount());
    }

    /**
     * The request reaches the handler on one of Pekko's threads, the one that finished reading the body. A plain
     * {@code thenApply} on Pekko's body stage would run it on {@code CompletableFuture}'s default executor,
     * which on a 2-core machine starts a thread for every request (io.concordat.common.Stages).
     */
    @Test
    void forwardsOnPekkosThreadsNotOnAThreadOfItsOwnPerRequest() {
        var threads = new java.util.concurrent.ConcurrentLinkedQueue<String>();
        RecordingHandler replying = RecordingHandler.replying("ok");
        URI base = start(new RecordingHandler(envelope -> {
            threads.add(Thread.currentThread().getName());
            return replying.submit(envelope);
        }));
        for (long number = 1; number <= 5; number++) {
            assertEquals(200, post(base, REQUESTS, PROTOBUF, requestEnvelope(number, "op")).status());
        }
        assertEquals(5, threads.size());
        String systemName = testKit.system().name();
        assertTrue(threads.stream().allMatch(name -> name.startsWith(systemName + "-pekko.")), threads::toString);
    }

    @Test
    void servesManyRequestsOnOneKeepAliveConnection() {
        RecordingHandler handler = RecordingHandler.replying("ok");
        URI base = start(handler);
        for (long number = 1; number <= 20; number++) {
            assertEquals(200, post(base, REQUESTS, PROTOBUF, requestEnvelope(number, "op")).status());
        }
        assertEquals(20, handler.received.size());
    }

    @Test
    void garbageBytesGet400WithTheDecodersReasonAndAreNotForwarded() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);

        Answer answer = post(base, REQUESTS, PROTOBUF, Bytes.ofUtf8("this is not a protobuf envelope"));

        assertError(answer, 400, ErrorCode.MALFORMED, "malformed envelope: ");
        assertTrue(handler.received.isEmpty());
        assertEquals(1L, endpoint.errorCounts().get(ErrorCode.MALFORMED));
    }

    @Test
    void anEmptyBodyGets400() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);

        assertError(post(base, REQUESTS, PROTOBUF, Bytes.EMPTY), 400, ErrorCode.MALFORMED,
                "malformed envelope: the body is empty");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void aTruncatedEnvelopeGets400SayingTruncated() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);
        Bytes whole = requestEnvelope(1, "operation");
        Bytes truncated = Bytes.copyOf(whole.toByteArray(), 0, whole.size() - 10);

        assertError(post(base, REQUESTS, PROTOBUF, truncated), 400, ErrorCode.MALFORMED,
                "malformed envelope: truncated or malformed: ");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void anEnvelopeOfAnotherProtocolVersionGets400() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);
        var parsed = parse(requestEnvelope(1, "operation"));
        Bytes otherVersion = Bytes.wrap(parsed.toBuilder().setProtocolVersion(2).build().toByteArray());

        assertError(post(base, REQUESTS, PROTOBUF, otherVersion), 400, ErrorCode.MALFORMED,
                "malformed envelope: unsupported version: ");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void aReplicaMessageGets400WrongMessageType() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);

        assertError(post(base, REQUESTS, PROTOBUF, EndpointFixtures.prepareEnvelope()), 400,
                ErrorCode.NOT_A_CLIENT_REQUEST, "wrong message type: expected an Envelope with one signed ClientRequest, got a Prepare");
        assertError(post(base, REQUESTS, PROTOBUF, EndpointFixtures.replyEnvelope(1, "r")), 400,
                ErrorCode.NOT_A_CLIENT_REQUEST, "wrong message type: ");
        assertError(post(base, REQUESTS, PROTOBUF, EndpointFixtures.prePrepareEnvelope()), 400,
                ErrorCode.NOT_A_CLIENT_REQUEST, "wrong message type: ");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void aTamperedSignatureGets403AndIsNotForwarded() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);
        Signed<ClientRequest> request = signedRequest(1, Bytes.ofUtf8("operation"));
        byte[] signature = request.signature().toByteArray();
        signature[5] ^= 0x01;
        Bytes tampered = envelope(new Signed<>(request.body(), request.encoded(), Bytes.wrap(signature)));

        assertError(post(base, REQUESTS, PROTOBUF, tampered), 403, ErrorCode.BAD_SIGNATURE, "bad signature: ");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void aRequestSignedByAnotherKeyThanItsClientIdGets403() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);
        var impostor = new io.concordat.protocol.MessageSigner(OTHER_CLIENT_KEYS.signer(), CODEC);
        Signed<ClientRequest> forged = impostor.sign(
                new ClientRequest(CLIENT_KEYS.publicKey(), 1, Bytes.ofUtf8("operation"), false));

        assertError(post(base, REQUESTS, PROTOBUF, envelope(forged)), 403, ErrorCode.BAD_SIGNATURE, "bad signature: ");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void withSignatureChecksOffTheReplicaJudgesTheSignature() {
        RecordingHandler handler = new RecordingHandler(envelope -> CompletableFuture.completedFuture(
                new SubmitOutcome.Refused(SubmitOutcome.Refusal.BAD_SIGNATURE, "the request's signature does not verify")));
        URI base = start(ClientEndpointSettings.defaults("127.0.0.1", 0, 3).withVerifySignatures(false), handler);
        var impostor = new io.concordat.protocol.MessageSigner(OTHER_CLIENT_KEYS.signer(), CODEC);
        Bytes forged = envelope(impostor.sign(new ClientRequest(CLIENT_KEYS.publicKey(), 1, Bytes.ofUtf8("x"), false)));

        assertError(post(base, REQUESTS, PROTOBUF, forged), 403, ErrorCode.BAD_SIGNATURE,
                "bad signature: the request's signature does not verify");
        assertEquals(1, handler.received.size());
    }

    @Test
    void anotherContentTypeGets415() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);

        assertError(post(base, REQUESTS, "text/plain", requestEnvelope(1, "operation")), 415,
                ErrorCode.UNSUPPORTED_MEDIA_TYPE, "unsupported media type: text/plain");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void aBodyOverTheLimitGets413WhetherItsLengthIsDeclaredOrItIsChunked() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(ClientEndpointSettings.defaults("127.0.0.1", 0, 3).withSizeLimits(4096, 1024), handler);
        // Within the drain bound, so the 413 is promised: a body declared beyond it is refused with its
        // connection closed unread, which may reset before the answer is read (the test below).
        Bytes large = Bytes.wrap(new byte[4096 * ClientEndpoint.OVERSIZED_DRAIN_FACTOR]);

        assertError(post(base, REQUESTS, PROTOBUF, large), 413, ErrorCode.OVERSIZED,
                "too large: the body exceeds maxRequestBytes 4096");
        assertError(EndpointFixtures.postChunked(base, REQUESTS, large), 413, ErrorCode.OVERSIZED,
                "too large: the body exceeds maxRequestBytes 4096");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void anOversizedBodyWithinTheDrainBoundIsReadSoThe413ArrivesAndTheConnectionServesOn() throws IOException {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);
        // 1 MiB at the default limit: more than Pekko and the kernel buffer, so a connection closed unread
        // resets while the body is still being written (a broken pipe here) and the 413 is lost.
        int bodyBytes = ClientEndpointSettings.DEFAULT_MAX_REQUEST_BYTES * ClientEndpoint.OVERSIZED_DRAIN_FACTOR;
        try (var connection = new EndpointFixtures.RawHttp(base)) {
            connection.post(REQUESTS, bodyBytes, true);

            assertError(connection.answer(), 413, ErrorCode.OVERSIZED, "too large: the body exceeds maxRequestBytes");

            // The body was read, so the same connection answers the next request.
            connection.get(ClientEndpoint.HEALTH_PATH);
            assertEquals(200, connection.answer().status());
        }
        assertTrue(handler.received.isEmpty(), "an oversized body reached the handler");
    }

    @Test
    void aBodyDeclaredFarOverTheLimitIsRefusedAtOnceAndItsConnectionClosed() throws IOException {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);
        try (var connection = new EndpointFixtures.RawHttp(base)) {
            // Only the headers: the endpoint must answer without waiting for a body it will not read.
            connection.post(REQUESTS,
                    ClientEndpointSettings.DEFAULT_MAX_REQUEST_BYTES * ClientEndpoint.OVERSIZED_DRAIN_FACTOR + 1, false);

            assertError(connection.answer(), 413, ErrorCode.OVERSIZED, "too large: the body exceeds maxRequestBytes");
            assertTrue(connection.closedByServer(), "the connection stayed open");
        }
        assertTrue(handler.received.isEmpty(), "an oversized body reached the handler");
    }

    @Test
    void anOperationOverTheLimitGets413EvenWhenTheBodyFits() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(ClientEndpointSettings.defaults("127.0.0.1", 0, 3).withSizeLimits(4096, 1024), handler);
        Bytes request = envelope(signedRequest(1, Bytes.wrap(new byte[2000])));

        assertError(post(base, REQUESTS, PROTOBUF, request), 413, ErrorCode.OVERSIZED, "too large: ");
        assertTrue(handler.received.isEmpty());
    }

    @ParameterizedTest
    @EnumSource(SubmitOutcome.Refusal.class)
    void eachRefusalOfTheReplicaHasItsStatusAndCode(SubmitOutcome.Refusal refusal) {
        RecordingHandler handler = new RecordingHandler(envelope -> CompletableFuture.completedFuture(
                new SubmitOutcome.Refused(refusal, "because of the test")));
        URI base = start(handler);

        Answer answer = post(base, REQUESTS, PROTOBUF, requestEnvelope(1, "operation"));

        ErrorCode code = ErrorCode.valueOf(refusal.name());
        assertError(answer, code.httpStatus(), code, refusal.label() + ": because of the test");
        int expectedStatus = switch (refusal) {
            case MALFORMED, NOT_A_CLIENT_REQUEST -> 400;
            case BAD_SIGNATURE -> 403;
            case STALE_REQUEST -> 409;
            case OVERSIZED -> 413;
            case OVERLOADED, UNAVAILABLE -> 503;
        };
        assertEquals(expectedStatus, answer.status());
    }

    @Test
    void aReplayedStaleRequestGets409() {
        RecordingHandler handler = new RecordingHandler(envelope -> CompletableFuture.completedFuture(
                new SubmitOutcome.Refused(SubmitOutcome.Refusal.STALE_REQUEST, "request 1 is older than the last executed 5")));
        URI base = start(handler);

        assertError(post(base, REQUESTS, PROTOBUF, requestEnvelope(1, "operation")), 409, ErrorCode.STALE_REQUEST,
                "stale request: request 1 is older than the last executed 5");
    }

    @Test
    void noReplyWithinTheReplyWaitGets504() {
        RecordingHandler handler = new RecordingHandler(envelope -> new CompletableFuture<>());
        URI base = start(ClientEndpointSettings.defaults("127.0.0.1", 0, 3).withReplyWait(Duration.ofMillis(50)), handler);

        assertError(post(base, REQUESTS, PROTOBUF, requestEnvelope(1, "operation")), 504, ErrorCode.REPLY_TIMEOUT,
                "reply timeout: no reply within 50 ms; retransmit the same request");
        assertEquals(1, handler.received.size());
    }

    @Test
    void aHandlerThatTimesOutItselfGets504() {
        RecordingHandler handler = new RecordingHandler(envelope ->
                CompletableFuture.failedFuture(new TimeoutException("ask timed out")));
        URI base = start(handler);

        assertError(post(base, REQUESTS, PROTOBUF, requestEnvelope(1, "operation")), 504, ErrorCode.REPLY_TIMEOUT,
                "reply timeout: ");
    }

    @Test
    void aFailingOrThrowingHandlerGets500AndTheEndpointKeepsServing() {
        RecordingHandler handler = new RecordingHandler(envelope ->
                CompletableFuture.failedFuture(new IllegalStateException("replica broke")));
        URI base = start(handler);

        assertError(post(base, REQUESTS, PROTOBUF, requestEnvelope(1, "operation")), 500, ErrorCode.INTERNAL_ERROR,
                "internal error: the replica failed: ");
        handler.answer = envelope -> {
            throw new IllegalStateException("thrown, not returned");
        };
        assertError(post(base, REQUESTS, PROTOBUF, requestEnvelope(2, "operation")), 500, ErrorCode.INTERNAL_ERROR,
                "internal error: ");
        handler.answer = RecordingHandler.replying("fine").answer;
        assertEquals(200, post(base, REQUESTS, PROTOBUF, requestEnvelope(3, "operation")).status());
    }

    @Test
    void requestsBeyondTheInFlightLimitGet503AtOnce() throws Exception {
        var firstArrived = new CountDownLatch(1);
        var release = new CompletableFuture<SubmitOutcome>();
        RecordingHandler handler = new RecordingHandler(envelope -> {
            firstArrived.countDown();
            return release;
        });
        URI base = start(ClientEndpointSettings.defaults("127.0.0.1", 0, 3).withMaxInFlightRequests(1)
                .withReplyWait(Duration.ofSeconds(60)), handler);
        CompletableFuture<Answer> first = EndpointFixtures.postAsync(base, requestEnvelope(1, "operation"));
        assertTrue(firstArrived.await(30, TimeUnit.SECONDS));

        Answer second = post(base, REQUESTS, PROTOBUF, requestEnvelope(2, "operation"));

        assertError(second, 503, ErrorCode.OVERLOADED, "overloaded: ");
        release.complete(new SubmitOutcome.Replied(EndpointFixtures.replyEnvelope(1, "done")));
        assertEquals(200, first.get(30, TimeUnit.SECONDS).status());
        assertEquals(1, handler.received.size());
        assertEquals(200, post(base, REQUESTS, PROTOBUF, requestEnvelope(3, "operation")).status());
    }

    @Test
    void healthAnswersWithTheReplicaId() {
        URI base = start(RecordingHandler.replying("never"));

        Answer health = EndpointFixtures.get(base, ClientEndpoint.HEALTH_PATH);

        assertEquals(200, health.status());
        assertEquals("{\"status\":\"ok\",\"replicaId\":3}", health.text());
    }

    @Test
    void healthAnswersAHeadRequestWithoutABody() throws Exception {
        URI base = start(RecordingHandler.replying("never"));
        var response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(base.resolve(ClientEndpoint.HEALTH_PATH))
                        .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                        .timeout(java.time.Duration.ofSeconds(30)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        assertEquals(0, response.body().length);
    }

    @Test
    void wrongMethodsAndUnknownPathsGet405And404() {
        RecordingHandler handler = RecordingHandler.replying("never");
        URI base = start(handler);

        assertError(EndpointFixtures.get(base, REQUESTS), 405, ErrorCode.METHOD_NOT_ALLOWED, "method not allowed: GET; use POST");
        assertError(post(base, ClientEndpoint.HEALTH_PATH, PROTOBUF, requestEnvelope(1, "x")), 405,
                ErrorCode.METHOD_NOT_ALLOWED, "method not allowed: POST; use GET");
        assertError(post(base, "/v2/requests", PROTOBUF, requestEnvelope(1, "x")), 404, ErrorCode.NOT_FOUND, "not found: /v2/requests");
        assertTrue(handler.received.isEmpty());
    }

    @Test
    void theReplyBytesAreExactlyWhatTheHandlerGave() {
        Bytes canned = EndpointFixtures.replyEnvelope(9, "exact");
        URI base = start(new RecordingHandler(envelope -> CompletableFuture.completedFuture(new SubmitOutcome.Replied(canned))));

        assertArrayEquals(canned.toByteArray(), post(base, REQUESTS, PROTOBUF, requestEnvelope(9, "op")).body());
    }

    private static io.concordat.wire.proto.Envelope parse(Bytes envelope) {
        try {
            return io.concordat.wire.proto.Envelope.parseFrom(envelope.toByteArray());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
