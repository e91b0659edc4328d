package io.concordat.endpoint;

import static io.concordat.endpoint.EndpointFixtures.CODEC;
import static io.concordat.endpoint.EndpointFixtures.get;
import static io.concordat.endpoint.EndpointFixtures.post;
import static io.concordat.endpoint.EndpointFixtures.prepareEnvelope;
import static io.concordat.endpoint.EndpointFixtures.requestEnvelope;
import static io.concordat.endpoint.EndpointFixtures.requestNumberOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.endpoint.EndpointFixtures.RecordingHandler;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.DecodeResult;
import io.concordat.wire.StreamFrames;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The request stream ({@code GET /v1/stream}) over a real WebSocket on 127.0.0.1, with a test handler. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientStreamTest {
    private final ActorTestKit testKit = ActorTestKit.create("ClientStreamTest");
    private final HttpClient http = HttpClient.newHttpClient();
    private ClientEndpoint endpoint;
    private WebSocket socket;

    /** Whole answer messages as they arrive. */
    private final LinkedBlockingQueue<byte[]> answers = new LinkedBlockingQueue<>();

    @AfterEach
    void stop() {
        if (socket != null) {
            socket.abort();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        answers.clear();
    }

    @AfterAll
    void stopSystem() {
        testKit.shutdownTestKit();
    }

    private void open(ClientEndpointSettings settings, RequestHandler handler) {
        endpoint = ClientEndpoint.start(testKit.system(), settings, handler).toCompletableFuture().join();
        URI uri = URI.create("ws://127.0.0.1:" + endpoint.port() + StreamFrames.PATH);
        socket = http.newWebSocketBuilder().buildAsync(uri, new WebSocket.Listener() {
            private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] chunk = new byte[data.remaining()];
                data.get(chunk);
                partial.writeBytes(chunk);
                if (last) {
                    answers.add(partial.toByteArray());
                    partial.reset();
                }
                webSocket.request(1);
                return null;
            }
        }).join();
    }

    private void open(RequestHandler handler) {
        open(ClientEndpointSettings.defaults("127.0.0.1", 0, 3), handler);
    }

    private void send(long tag, Bytes envelope) {
        socket.sendBinary(StreamFrames.request(tag, envelope), true).join();
    }

    private StreamFrames.Answer next() throws InterruptedException {
        byte[] frame = answers.poll(10, TimeUnit.SECONDS);
        assertTrue(frame != null, "no answer within 10 s");
        return StreamFrames.decodeAnswer(frame).orElseThrow();
    }

    private static void assertError(StreamFrames.Answer answer, long tag, int status, ErrorCode code, String textStart) {
        var error = assertInstanceOf(StreamFrames.Answer.Error.class, answer, answer::toString);
        assertEquals(tag, error.tag());
        assertEquals(status, error.status());
        assertEquals(code.name(), error.code());
        assertTrue(error.message().startsWith(textStart), error::message);
    }

    @Test
    void answersARequestWithTheReplicasSignedReplyUnderItsTag() throws Exception {
        RecordingHandler handler = RecordingHandler.replying("result-7");
        open(handler);
        Bytes request = requestEnvelope(7, "operation");

        send(41, request);

        var reply = assertInstanceOf(StreamFrames.Answer.Reply.class, next());
        assertEquals(41, reply.tag());
        var decoded = (DecodeResult.Decoded) CODEC.decodeEnvelope(reply.envelope());
        @SuppressWarnings("unchecked")
        Signed<Reply> signed = (Signed<Reply>) ((Envelope.MessageEnvelope) decoded.envelope()).message();
        assertEquals(7, signed.body().requestNumber());
        assertEquals("result-7", signed.body().result().toUtf8());
        assertEquals(List.of(request), List.copyOf(handler.received));
    }

    /** Requests of one connection are answered as their replies come, not in the order they were sent. */
    @Test
    void carriesManyRequestsAtOnceAndAnswersThemInTheOrderTheirRepliesCome() throws Exception {
        Map<Long, CompletableFuture<SubmitOutcome>> pending = new java.util.concurrent.ConcurrentHashMap<>();
        open(new RecordingHandler(envelope -> pending.computeIfAbsent(requestNumberOf(envelope),
                number -> new CompletableFuture<>())));
        for (long number = 1; number <= 20; number++) {
            send(1000 + number, requestEnvelope(number, "op-" + number));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending.size() < 20 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(20, pending.size(), "all 20 requests reached the handler before any was answered");
        List<Long> answerOrder = new ArrayList<>();
        for (long number = 20; number >= 1; number--) {
            pending.get(number).complete(new SubmitOutcome.Replied(
                    EndpointFixtures.replyEnvelope(number, "result-" + number)));
            answerOrder.add(1000 + number);
        }
        Map<Long, String> results = new HashMap<>();
        List<Long> tags = new ArrayList<>();
        for (int received = 0; received < 20; received++) {
            var reply = assertInstanceOf(StreamFrames.Answer.Reply.class, next());
            tags.add(reply.tag());
            var decoded = (DecodeResult.Decoded) CODEC.decodeEnvelope(reply.envelope());
            @SuppressWarnings("unchecked")
            Signed<Reply> signed = (Signed<Reply>) ((Envelope.MessageEnvelope) decoded.envelope()).message();
            results.put(reply.tag(), signed.body().result().toUtf8());
        }
        assertEquals(answerOrder, tags);
        for (long number = 1; number <= 20; number++) {
            assertEquals("result-" + number, results.get(1000 + number), "tag " + (1000 + number));
        }
    }

    @Test
    void refusesBadRequestsUnderTheirTagsAndKeepsTheConnection() throws Exception {
        RecordingHandler handler = RecordingHandler.replying("ok");
        open(handler);
        send(1, Bytes.ofUtf8("not an envelope"));
        assertError(next(), 1, 400, ErrorCode.MALFORMED, "malformed envelope");
        send(2, prepareEnvelope());
        assertError(next(), 2, 400, ErrorCode.NOT_A_CLIENT_REQUEST, "wrong message type");
        byte[] forged = requestEnvelope(3, "op").toByteArray();
        forged[forged.length - 1] ^= 1;
        send(3, Bytes.wrap(forged));
        assertError(next(), 3, 403, ErrorCode.BAD_SIGNATURE, "bad signature");
        assertTrue(handler.received.isEmpty(), "nothing that failed a check reached the handler");

        send(4, requestEnvelope(4, "op"));
        assertInstanceOf(StreamFrames.Answer.Reply.class, next(), "the connection still serves requests");
    }

    @Test
    void aMessageThatCannotBeAttributedIsAnsweredUnderTagZero() throws Exception {
        open(RecordingHandler.replying("ok"));
        socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).join();
        assertError(next(), 0, 400, ErrorCode.MALFORMED, "malformed stream message: a message of 3 bytes");
        socket.sendText("hello", true).join();
        assertError(next(), 0, 400, ErrorCode.MALFORMED, "malformed stream message: a text message");
        send(5, requestEnvelope(5, "op"));
        assertEquals(5, next().tag());
    }

    @Test
    void anOversizedMessageIsReadToItsEndAndRefusedWithTheLimit() throws Exception {
        open(ClientEndpointSettings.defaults("127.0.0.1", 0, 3).withSizeLimits(1024, 512), RecordingHandler.replying("ok"));
        byte[] large = new byte[StreamFrames.TAG_BYTES + 200_000];
        ByteBuffer.wrap(large).putLong(9);
        // Sent in parts, so that the endpoint sees a streamed message rather than one strict frame.
        for (int offset = 0; offset < large.length; offset += 16_384) {
            int length = Math.min(16_384, large.length - offset);
            socket.sendBinary(ByteBuffer.wrap(large, offset, length), offset + length == large.length).join();
        }
        assertError(next(), 9, 413, ErrorCode.OVERSIZED, "too large: a message of 200008 bytes");
        send(10, requestEnvelope(10, "op"));
        assertEquals(10, next().tag(), "the connection still serves requests");
    }

    /**
     * One connection waits for its own answers beyond the endpoint's limit (it is not read further); a second
     * connection finds the endpoint full and is told so.
     */
    @Test
    void aFullEndpointAnswersOverloadedToAnotherConnection() throws Exception {
        var never = new CompletableFuture<SubmitOutcome>();
        open(ClientEndpointSettings.defaults("127.0.0.1", 0, 3).withMaxInFlightRequests(1),
                new RecordingHandler(envelope -> never));
        send(1, requestEnvelope(1, "op"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (endpoint.forwardedCount() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        var secondAnswers = new LinkedBlockingQueue<byte[]>();
        WebSocket second = http.newWebSocketBuilder().buildAsync(
                URI.create("ws://127.0.0.1:" + endpoint.port() + StreamFrames.PATH), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        byte[] frame = new byte[data.remaining()];
                        data.get(frame);
                        secondAnswers.add(frame);
                        webSocket.request(1);
                        return null;
                    }
                }).join();
        try {
            second.sendBinary(StreamFrames.request(2, requestEnvelope(2, "op")), true).join();
            byte[] frame = secondAnswers.poll(10, TimeUnit.SECONDS);
            assertTrue(frame != null, "no answer on the second connection");
            assertError(StreamFrames.decodeAnswer(frame).orElseThrow(), 2, 503, ErrorCode.OVERLOADED, "overloaded");
        } finally {
            second.abort();
        }
        never.complete(new SubmitOutcome.Replied(EndpointFixtures.replyEnvelope(1, "late")));
        assertEquals(1, next().tag());
    }

    @Test
    void theStreamPathNeedsAWebSocketUpgradeAndAGet() {
        open(RecordingHandler.replying("ok"));
        var plain = get(endpoint.uri(), StreamFrames.PATH);
        assertEquals(426, plain.status(), plain.text());
        assertEquals(java.util.Optional.of(ErrorCode.UPGRADE_REQUIRED.name()), plain.errorCode());
        var posted = post(endpoint.uri(), StreamFrames.PATH, "application/x-protobuf", requestEnvelope(1, "op"));
        assertEquals(405, posted.status(), posted.text());
    }
}
