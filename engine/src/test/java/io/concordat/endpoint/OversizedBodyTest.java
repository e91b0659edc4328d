package io.concordat.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.endpoint.EndpointFixtures.RecordingHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A body declared over {@code maxRequestBytes} gets its 413 over a connection that a client can still read:
 * spoken as raw HTTP/1.1 on one socket, so the test sees whether the endpoint read the body (the connection
 * then serves the next request) or closed it unread.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OversizedBodyTest {
    /** The default limit; at eight times it (1 MiB) a body no longer fits in what Pekko and the kernel buffer. */
    private static final int MAX_REQUEST_BYTES = ClientEndpointSettings.DEFAULT_MAX_REQUEST_BYTES;

    private final ActorTestKit testKit = ActorTestKit.create("OversizedBodyTest");
    private ClientEndpoint endpoint;
    private final RecordingHandler handler = RecordingHandler.replying("never");

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

    @Test
    void anOversizedBodyWithinTheDrainBoundIsReadSoThe413ArrivesAndTheConnectionServesOn() throws IOException {
        start();
        int bodyBytes = MAX_REQUEST_BYTES * ClientEndpoint.OVERSIZED_DRAIN_FACTOR;
        try (Socket socket = connect()) {
            sendPost(socket, bodyBytes, true);

            Response refused = Response.read(socket.getInputStream());
            assertEquals(413, refused.status(), refused.toString());
            assertEquals(ErrorCode.OVERSIZED.name(), refused.header(ClientEndpoint.ERROR_HEADER), refused.toString());

            // The body was read, so the same connection answers the next request.
            send(socket, "GET " + ClientEndpoint.HEALTH_PATH + " HTTP/1.1\r\nHost: test\r\n\r\n");
            Response health = Response.read(socket.getInputStream());
            assertEquals(200, health.status(), health.toString());
        }
        assertTrue(handler.received.isEmpty(), "an oversized body reached the replica");
    }

    @Test
    void aBodyDeclaredFarOverTheLimitIsRefusedAtOnceAndItsConnectionClosed() throws IOException {
        start();
        try (Socket socket = connect()) {
            // Only the headers: the endpoint must answer without waiting for a body it will not read.
            sendPost(socket, MAX_REQUEST_BYTES * ClientEndpoint.OVERSIZED_DRAIN_FACTOR + 1, false);

            Response refused = Response.read(socket.getInputStream());
            assertEquals(413, refused.status(), refused.toString());
            assertEquals(ErrorCode.OVERSIZED.name(), refused.header(ClientEndpoint.ERROR_HEADER), refused.toString());
            assertTrue(closedByServer(socket.getInputStream()), "the connection stayed open");
        }
        assertTrue(handler.received.isEmpty(), "an oversized body reached the replica");
    }

    private void start() {
        var settings = ClientEndpointSettings.defaults("127.0.0.1", 0, 3).withSizeLimits(MAX_REQUEST_BYTES, 1024);
        endpoint = ClientEndpoint.start(testKit.system(), settings, handler).toCompletableFuture().join();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", endpoint.port());
        socket.setSoTimeout(30_000);
        return socket;
    }

    private static void sendPost(Socket socket, int declaredBytes, boolean withBody) throws IOException {
        send(socket, "POST " + ClientEndpoint.REQUESTS_PATH + " HTTP/1.1\r\nHost: test\r\n"
                + "Content-Type: application/x-protobuf\r\nContent-Length: " + declaredBytes + "\r\n\r\n");
        if (withBody) {
            OutputStream out = socket.getOutputStream();
            out.write(new byte[declaredBytes]);
            out.flush();
        }
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static boolean closedByServer(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** One HTTP/1.1 response with a Content-Length body (what the endpoint sends). */
    private record Response(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.getOrDefault(name.toLowerCase(Locale.ROOT), "");
        }

        static Response read(InputStream in) throws IOException {
            String statusLine = line(in);
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            Map<String, String> headers = new TreeMap<>();
            for (String line = line(in); !line.isEmpty(); line = line(in)) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
            return new Response(status, headers, new String(body, StandardCharsets.UTF_8));
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
}
