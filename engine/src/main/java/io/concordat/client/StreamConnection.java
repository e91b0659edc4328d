package io.concordat.client;

import io.concordat.common.Bytes;
import io.concordat.wire.StreamFrames;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket to one replica's request stream. Requests are tagged with a number of this connection and
 * written one message at a time (the JDK WebSocket allows one send in flight), in the order they were
 * given; answers are matched to their requests by tag. When the socket is lost, every request still
 * waiting on it completes as unreachable (the client retransmits on its own schedule), and the next
 * request opens a new socket. An answer that does not decode, or names no waiting request, is dropped:
 * the request it should have answered then times out, which is all a faulty replica can cause here.
 * Thread-safe.
 */
final class StreamConnection {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

    private final HttpClient http;
    private final URI uri;
    private final BftClientSettings settings;
    private final int answerMaxBytes;
    private final AtomicLong tags = new AtomicLong();
    private final Map<Long, CompletableFuture<ReplicaTransport.Delivery>> waiting = new ConcurrentHashMap<>();

    // Guarded by this.
    private final ArrayDeque<ByteBuffer> outbox = new ArrayDeque<>();
    private Optional<Socket> socket = Optional.empty();
    private boolean closed;

    StreamConnection(HttpClient http, URI uri, BftClientSettings settings) {
        this.http = http;
        this.uri = uri;
        this.settings = settings;
        this.answerMaxBytes = StreamFrames.TAG_BYTES + StreamFrames.STATUS_BYTES
                + settings.wireLimits().maxEnvelopeBytes();
    }

    ReplicaTransport.Exchange send(Bytes envelope) {
        long tag = tags.incrementAndGet();
        var delivery = new CompletableFuture<ReplicaTransport.Delivery>();
        waiting.put(tag, delivery);
        delivery.whenComplete((delivered, failure) -> waiting.remove(tag));
        delivery.completeOnTimeout(unreachable("no answer within " + settings.exchangeTimeout().toMillis() + " ms"),
                settings.exchangeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        synchronized (this) {
            if (closed) {
                delivery.complete(unreachable("the client was closed"));
            } else {
                outbox.addLast(StreamFrames.request(tag, envelope));
                if (socket.isEmpty()) {
                    connect();
                }
            }
        }
        pump();
        return new ReplicaTransport.Exchange(delivery, () -> delivery.complete(unreachable("abandoned")));
    }

    void close() {
        Optional<Socket> open;
        synchronized (this) {
            closed = true;
            open = socket;
            socket = Optional.empty();
            outbox.clear();
        }
        open.ifPresent(current -> current.opened.thenAccept(webSocket -> webSocket.abort()));
        failWaiting("the client was closed");
    }

    /** Starts a new socket; called with the lock held. */
    private void connect() {
        var current = new Socket();
        socket = Optional.of(current);
        current.opened = http.newWebSocketBuilder()
                .connectTimeout(settings.connectTimeout())
                .buildAsync(uri, current);
        current.opened.whenComplete((webSocket, failure) -> {
            if (failure != null) {
                lost(current, ReplicaAnswer.unreachable(failure, settings).detail());
            } else {
                pump();
            }
        });
    }

    /** Writes queued requests, one message in flight at a time, without recursing on sends that complete at once. */
    private void pump() {
        while (true) {
            WebSocket webSocket;
            ByteBuffer next;
            Socket current;
            synchronized (this) {
                if (socket.isEmpty() || socket.get().sending || outbox.isEmpty()) {
                    return;
                }
                current = socket.get();
                CompletableFuture<WebSocket> opened = current.opened;
                if (opened == null || !opened.isDone() || opened.isCompletedExceptionally()) {
                    return;
                }
                webSocket = opened.join();
                next = outbox.removeFirst();
                current.sending = true;
            }
            CompletableFuture<WebSocket> sent;
            try {
                sent = webSocket.sendBinary(next, true);
            } catch (RuntimeException refused) {
                sent = CompletableFuture.failedFuture(refused);
            }
            if (!sent.isDone()) {
                sent.whenComplete((ignored, failure) -> {
                    sent(current, failure);
                    pump();
                });
                return;
            }
            sent(current, sent.handle((ignored, thrown) -> thrown).join());
        }
    }

    /**
     * A send of {@code current} completed. The flag is the socket's own, so a send that completes on a socket
     * already replaced cannot let a second send start on its successor.
     */
    private void sent(Socket current, Throwable failure) {
        synchronized (this) {
            current.sending = false;
        }
        if (failure != null) {
            lost(current, ReplicaAnswer.unreachable(failure, settings).detail());
        }
    }

    /** The socket is gone: every request waiting on this connection is unreachable, and the next one reconnects. */
    private void lost(Socket current, String reason) {
        synchronized (this) {
            if (socket.isEmpty() || socket.get() != current) {
                return;
            }
            socket = Optional.empty();
            outbox.clear();
        }
        LOG.atDebug().addKeyValue("uri", uri).log("request stream lost: {}", reason);
        failWaiting(reason);
    }

    private void failWaiting(String reason) {
        for (CompletableFuture<ReplicaTransport.Delivery> delivery : waiting.values()) {
            delivery.complete(unreachable(reason));
        }
    }

    private void onAnswer(byte[] frame) {
        Optional<StreamFrames.Answer> decoded = StreamFrames.decodeAnswer(frame);
        if (decoded.isEmpty()) {
            LOG.atDebug().addKeyValue("uri", uri).log("dropped an answer frame of {} bytes that does not decode",
                    frame.length);
            return;
        }
        CompletableFuture<ReplicaTransport.Delivery> delivery = waiting.get(decoded.get().tag());
        if (delivery == null) {
            return;
        }
        if (decoded.get() instanceof StreamFrames.Answer.Reply reply) {
            delivery.complete(new ReplicaTransport.Delivery.ReplyBytes(reply.envelope()));
        } else {
            var error = (StreamFrames.Answer.Error) decoded.get();
            delivery.complete(new ReplicaTransport.Delivery.Answered(
                    ReplicaAnswer.refused(error.status(), error.code(), error.message())));
        }
    }

    private static ReplicaTransport.Delivery unreachable(String detail) {
        return new ReplicaTransport.Delivery.Answered(new ReplicaAnswer.Unreachable(detail));
    }

    /** One WebSocket and what it has received of the message in progress; its listener calls come one at a time. */
    private final class Socket implements WebSocket.Listener {
        volatile CompletableFuture<WebSocket> opened;
        /** A message of this socket is being written (the JDK allows one at a time); guarded by the connection. */
        boolean sending;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            if (partial.size() + data.remaining() > answerMaxBytes) {
                webSocket.abort();
                lost(this, "an answer of more than " + answerMaxBytes + " bytes");
                return null;
            }
            byte[] chunk = new byte[data.remaining()];
            data.get(chunk);
            if (last && partial.size() == 0) {
                onAnswer(chunk);
            } else {
                partial.writeBytes(chunk);
                if (last) {
                    byte[] frame = partial.toByteArray();
                    partial.reset();
                    onAnswer(frame);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            // The stream's answers are binary; text is not one of them.
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            lost(this, "closed by the replica (" + statusCode + (reason.isEmpty() ? "" : " " + reason) + ")");
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lost(this, ReplicaAnswer.unreachable(error, settings).detail());
        }
    }
}
