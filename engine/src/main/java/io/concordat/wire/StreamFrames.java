package io.concordat.wire;

import io.concordat.common.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The frames of the client stream (docs/client-protocol.md, "The request stream"): binary WebSocket
 * messages on {@code GET /v1/stream} of a replica's client endpoint, so that one connection carries many
 * requests at once instead of one HTTP exchange each.
 *
 * <ul>
 *   <li>Request, client to replica: an 8-byte tag the client chooses, big-endian, then the request
 *       {@code Envelope} exactly as {@code POST /v1/requests} takes it.</li>
 *   <li>Answer, replica to client: the request's tag, a 2-byte status with the meaning of the HTTP status
 *       the same request would get from {@code POST /v1/requests}, then for 200 the authenticated reply
 *       {@code Envelope}, and for any other status the error code (the {@code Concordat-Error} name), a
 *       line feed, and the error text in UTF-8.</li>
 * </ul>
 *
 * <p>The tag only pairs an answer with its request on one connection; it is not signed and carries no
 * authority (the reply inside is authenticated and names the client and the request number). Answers come in
 * any order. A message the endpoint cannot attribute (shorter than a tag, or text) is answered with tag 0.
 */
public final class StreamFrames {
    /** The path of the stream on a replica's client endpoint. */
    public static final String PATH = "/v1/stream";
    public static final int TAG_BYTES = Long.BYTES;
    public static final int STATUS_BYTES = Short.BYTES;
    public static final int OK = 200;

    private StreamFrames() {}

    /** A request frame: the tag, then the envelope. */
    public static ByteBuffer request(long tag, Bytes envelope) {
        byte[] body = envelope.unsafeArray();
        return ByteBuffer.allocate(TAG_BYTES + body.length).putLong(tag).put(body).flip();
    }

    /** A decoded request frame. */
    public record Request(long tag, Bytes envelope) {
        public Request {
            Objects.requireNonNull(envelope, "envelope");
        }
    }

    /** The request in {@code frame}, or empty if it is too short to hold a tag. */
    public static Optional<Request> decodeRequest(byte[] frame) {
        if (frame.length < TAG_BYTES) {
            return Optional.empty();
        }
        long tag = ByteBuffer.wrap(frame).getLong();
        return Optional.of(new Request(tag, Bytes.copyOf(frame, TAG_BYTES, frame.length - TAG_BYTES)));
    }

    /** The answer frame that carries an authenticated reply envelope. */
    public static byte[] reply(long tag, Bytes replyEnvelope) {
        byte[] body = replyEnvelope.unsafeArray();
        return ByteBuffer.allocate(TAG_BYTES + STATUS_BYTES + body.length).putLong(tag).putShort((short) OK)
                .put(body).array();
    }

    /** The answer frame of an error: its HTTP-equivalent status, code name and text. */
    public static byte[] error(long tag, int status, String code, String message) {
        if (status == OK || status < 100 || status > 599) {
            throw new IllegalArgumentException("an error needs a status in 100..599 other than 200, got " + status);
        }
        byte[] text = (code + "\n" + message).getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(TAG_BYTES + STATUS_BYTES + text.length).putLong(tag).putShort((short) status)
                .put(text).array();
    }

    /** A decoded answer frame: the reply envelope when the status is 200, otherwise the error's code and text. */
    public sealed interface Answer {
        long tag();

        record Reply(long tag, Bytes envelope) implements Answer {
            public Reply {
                Objects.requireNonNull(envelope, "envelope");
            }
        }

        record Error(long tag, int status, String code, String message) implements Answer {
            public Error {
                Objects.requireNonNull(code, "code");
                Objects.requireNonNull(message, "message");
            }
        }
    }

    /** The answer in {@code frame}, or empty if it is too short or its status is not one an answer can have. */
    public static Optional<Answer> decodeAnswer(byte[] frame) {
        if (frame.length < TAG_BYTES + STATUS_BYTES) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(frame);
        long tag = buffer.getLong();
        int status = Short.toUnsignedInt(buffer.getShort());
        int offset = TAG_BYTES + STATUS_BYTES;
        if (status == OK) {
            return Optional.of(new Answer.Reply(tag, Bytes.copyOf(frame, offset, frame.length - offset)));
        }
        if (status < 100 || status > 599) {
            return Optional.empty();
        }
        String text = new String(frame, offset, frame.length - offset, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String code = newline < 0 ? "" : text.substring(0, newline);
        String message = newline < 0 ? text : text.substring(newline + 1);
        return Optional.of(new Answer.Error(tag, status, code, message));
    }
}
