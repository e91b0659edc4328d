package io.concordat.endpoint;

import io.concordat.common.Bytes;
import io.concordat.crypto.Ed25519KeyPair;
import io.concordat.crypto.Sha256;
import io.concordat.protocol.MessageSigner;
import io.concordat.protocol.message.Batch;
import io.concordat.protocol.message.ClientRequest;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.PrePrepare;
import io.concordat.protocol.message.Prepare;
import io.concordat.protocol.message.Reply;
import io.concordat.protocol.message.Signed;
import io.concordat.wire.ProtobufCodec;
import io.concordat.wire.WireLimits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/** Keys, signed messages and an HTTP client for the endpoint tests. */
final class EndpointFixtures {
    static final ProtobufCodec CODEC = new ProtobufCodec(WireLimits.defaults());
    static final Ed25519KeyPair CLIENT_KEYS = keyPair(1);
    static final Ed25519KeyPair OTHER_CLIENT_KEYS = keyPair(2);
    static final Ed25519KeyPair REPLICA_KEYS = keyPair(100);
    static final MessageSigner CLIENT = new MessageSigner(CLIENT_KEYS.signer(), CODEC);
    static final MessageSigner REPLICA = new MessageSigner(REPLICA_KEYS.signer(), CODEC);

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    private EndpointFixtures() {}

    static Ed25519KeyPair keyPair(int seed) {
        return Ed25519KeyPair.fromSeed(Sha256.of(Bytes.ofUtf8("endpoint-test-key-" + seed)).value());
    }

    static Signed<ClientRequest> signedRequest(long requestNumber, Bytes operation) {
        return CLIENT.sign(new ClientRequest(CLIENT_KEYS.publicKey(), requestNumber, operation, false));
    }

    static Bytes requestEnvelope(long requestNumber, String operation) {
        return envelope(signedRequest(requestNumber, Bytes.ofUtf8(operation)));
    }

    static Bytes envelope(Signed<?> message) {
        return CODEC.encodeEnvelope(new Envelope.MessageEnvelope(message));
    }

    /** The canned reply a replica would sign for {@code requestNumber}. */
    static Bytes replyEnvelope(long requestNumber, String result) {
        return envelope(REPLICA.sign(new Reply(0, CLIENT_KEYS.publicKey(), requestNumber, Bytes.ofUtf8(result), false, 0)));
    }

    static Bytes prepareEnvelope() {
        return envelope(REPLICA.sign(new Prepare(0, 1, Sha256.of(Bytes.ofUtf8("batch")), 0)));
    }

    static Bytes prePrepareEnvelope() {
        Batch batch = new Batch(List.of(signedRequest(1, Bytes.ofUtf8("x"))));
        Signed<PrePrepare> prePrepare = REPLICA.sign(new PrePrepare(0, 1, batch.digest(), 0));
        return CODEC.encodeEnvelope(new Envelope.PrePrepareEnvelope(prePrepare, batch));
    }

    /** A handler that records what reaches it and answers with {@code answer}. */
    static final class RecordingHandler implements RequestHandler {
        final ConcurrentLinkedQueue<Bytes> received = new ConcurrentLinkedQueue<>();
        volatile Function<Bytes, CompletionStage<SubmitOutcome>> answer;

        RecordingHandler(Function<Bytes, CompletionStage<SubmitOutcome>> answer) {
            this.answer = answer;
        }

        static RecordingHandler replying(String result) {
            return new RecordingHandler(envelope -> CompletableFuture.completedFuture(
                    new SubmitOutcome.Replied(replyEnvelope(requestNumberOf(envelope), result))));
        }

        @Override
        public CompletionStage<SubmitOutcome> submit(Bytes requestEnvelope) {
            received.add(requestEnvelope);
            return answer.apply(requestEnvelope);
        }
    }

    static long requestNumberOf(Bytes envelope) {
        var decoded = (io.concordat.wire.DecodeResult.Decoded) CODEC.decodeEnvelope(envelope);
        var message = ((Envelope.MessageEnvelope) decoded.envelope()).message();
        return ((ClientRequest) message.body()).requestNumber();
    }

    /** An HTTP answer as the tests see it. */
    record Answer(int status, Optional<String> errorCode, Optional<String> contentType, byte[] body) {
        String text() {
            return new String(body, java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    static Answer post(URI base, String path, String contentType, Bytes body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** Posts without a Content-Length: the body goes out chunked. */
    static Answer postChunked(URI base, String path, Bytes body) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.toByteArray()))));
    }

    static Answer get(URI base, String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    static CompletableFuture<Answer> postAsync(URI base, Bytes body) {
        return HTTP.sendAsync(HttpRequest.newBuilder(base.resolve(ClientEndpoint.REQUESTS_PATH))
                        .header("Content-Type", "application/x-protobuf")
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).thenApply(EndpointFixtures::answer);
    }

    private static Answer send(HttpRequest.Builder request) {
        try {
            return answer(HTTP.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new IllegalStateException("the request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * HTTP/1.1 spoken by hand on one socket, for what {@link HttpClient} hides: whether the endpoint keeps a
     * connection open after an answer, and what it answers before a body is sent.
     */
    static final class RawHttp implements AutoCloseable {
        private final Socket socket;

        RawHttp(URI base) throws IOException {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setSoTimeout(30_000);
        }

        /** A POST of an {@code application/x-protobuf} body declared as {@code declaredBytes}, sent or not. */
        void post(String path, int declaredBytes, boolean sendBody) throws IOException {
            write("POST " + path + " HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: " + declaredBytes + "\r\n\r\n");
            if (sendBody) {
                socket.getOutputStream().write(new byte[declaredBytes]);
                socket.getOutputStream().flush();
            }
        }

        void get(String path) throws IOException {
            write("GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n");
        }

        /** Reads one response with a Content-Length body (what the endpoint sends). */
        Answer answer() throws IOException {
            InputStream in = socket.getInputStream();
            int status = Integer.parseInt(line(in).split(" ")[1]);
            Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("Content-Length", "0")));
            return new Answer(status, Optional.ofNullable(headers.get(ClientEndpoint.ERROR_HEADER)),
                    Optional.ofNullable(headers.get("Content-Type")), body);
        }

        /** True once the endpoint has closed the connection (end of stream, or a reset). */
        boolean closedByServer() throws IOException {
            try {
                return socket.getInputStream().read() == -1;
            } catch (SocketException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }

        private void write(String text) throws IOException {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int next = in.read(); next != '\n'; next = in.read()) {
                if (next == -1) {
                    throw new IOException("the connection closed in the middle of a response: " + line);
                }
                if (next != '\r') {
                    line.write(next);
                }
            }
            return line.toString(StandardCharsets.US_ASCII);
        }
    }

    private static Answer answer(HttpResponse<byte[]> response) {
        return new Answer(response.statusCode(), response.headers().firstValue(ClientEndpoint.ERROR_HEADER),
                response.headers().firstValue("Content-Type"), response.body());
    }
}
