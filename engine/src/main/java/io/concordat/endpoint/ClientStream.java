package io.concordat.endpoint;

import io.concordat.common.Bytes;
import io.concordat.wire.StreamFrames;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.model.ws.BinaryMessage;
import org.apache.pekko.http.javadsl.model.ws.Message;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.util.ByteString;

/**
 * One client's WebSocket on {@code GET /v1/stream} ({@link StreamFrames}): each binary message is one
 * request, which goes through the same admission, checks and reply wait as {@code POST /v1/requests}, and
 * each answer goes back as soon as it is ready, in any order, with the request's tag. Up to
 * {@code maxInFlightRequests} requests of one connection are answered at a time; beyond that the
 * connection is not read (TCP back-pressure), so a client that floods its own connection slows only it.
 *
 * <p>A message too large for {@code maxRequestBytes} is read to its end but kept only up to the limit, and
 * answered 413; a message that does not arrive within the body read time-out ends the connection, because
 * what follows it on the connection can no longer be trusted to start a message.
 */
final class ClientStream {

    /** One message as it arrived, before it is answered. */
    private sealed interface Inbound {
        record Request(long tag, Bytes envelope) implements Inbound {}

        record Oversized(long tag, long sizeBytes) implements Inbound {}

        record Unattributable(String reason) implements Inbound {}
    }

    private final ClientEndpoint endpoint;
    private final int frameMaxBytes;
    private final Duration bodyReadTimeout;
    private final Materializer materializer;

    private ClientStream(ClientEndpoint endpoint, ClientEndpointSettings settings, Materializer materializer) {
        this.endpoint = endpoint;
        this.frameMaxBytes = StreamFrames.TAG_BYTES + settings.maxRequestBytes();
        this.bodyReadTimeout = settings.bodyReadTimeout();
        this.materializer = materializer;
    }

    static Flow<Message, Message, NotUsed> flow(ClientEndpoint endpoint, ClientEndpointSettings settings,
            Materializer materializer) {
        var stream = new ClientStream(endpoint, settings, materializer);
        return Flow.<Message>create()
                .mapAsync(1, stream::read)
                .mapAsyncUnordered(settings.maxInFlightRequests(), stream::answer)
                .map(frame -> (Message) BinaryMessage.create(ByteString.fromArrayUnsafe(frame)));
    }

    private CompletionStage<Inbound> read(Message message) {
        if (message.isText()) {
            return message.asTextMessage().getStreamedText().runWith(Sink.ignore(), materializer)
                    .thenApply(done -> new Inbound.Unattributable(
                            "a text message; requests are binary messages: an 8-byte tag, then the Envelope"));
        }
        BinaryMessage binary = message.asBinaryMessage();
        if (binary.isStrict()) {
            return CompletableFuture.completedFuture(inbound(binary.getStrictData(), binary.getStrictData().size()));
        }
        return binary.getStreamedData()
                .completionTimeout(bodyReadTimeout)
                .runFold(new Accumulated(ByteString.emptyByteString(), 0), this::accumulate, materializer)
                .thenApply(accumulated -> inbound(accumulated.kept(), accumulated.sizeBytes()));
    }

    /** The first {@code frameMaxBytes} of a message and its whole size. */
    private record Accumulated(ByteString kept, long sizeBytes) {}

    private Accumulated accumulate(Accumulated sofar, ByteString chunk) {
        ByteString kept = sofar.kept();
        if (kept.size() < frameMaxBytes) {
            kept = kept.concat(chunk.take(frameMaxBytes - kept.size()));
        }
        return new Accumulated(kept, sofar.sizeBytes() + chunk.size());
    }

    private Inbound inbound(ByteString data, long sizeBytes) {
        if (sizeBytes < StreamFrames.TAG_BYTES) {
            return new Inbound.Unattributable("a message of " + sizeBytes + " bytes; a request starts with an 8-byte"
                    + " tag");
        }
        if (sizeBytes > frameMaxBytes) {
            return new Inbound.Oversized(data.asByteBuffer().getLong(), sizeBytes);
        }
        var request = StreamFrames.decodeRequest(data.toArrayUnsafe()).orElseThrow();
        return new Inbound.Request(request.tag(), request.envelope());
    }

    private CompletionStage<byte[]> answer(Inbound inbound) {
        if (inbound instanceof Inbound.Request request) {
            return endpoint.onStreamRequest(request.envelope()).thenApply(answer -> frame(request.tag(), answer));
        }
        if (inbound instanceof Inbound.Oversized oversized) {
            return CompletableFuture.completedFuture(frame(oversized.tag(), endpoint.failed(EndpointError.of(
                    ErrorCode.OVERSIZED, "too large: a message of %d bytes exceeds the 8-byte tag and maxRequestBytes"
                            + " %d", oversized.sizeBytes(), frameMaxBytes - StreamFrames.TAG_BYTES))));
        }
        var unattributable = (Inbound.Unattributable) inbound;
        return CompletableFuture.completedFuture(frame(0, endpoint.failed(EndpointError.of(ErrorCode.MALFORMED,
                "malformed stream message: %s", unattributable.reason()))));
    }

    private static byte[] frame(long tag, EndpointAnswer answer) {
        if (answer instanceof EndpointAnswer.Replied replied) {
            return StreamFrames.reply(tag, replied.replyEnvelope());
        }
        EndpointError error = ((EndpointAnswer.Failed) answer).error();
        return StreamFrames.error(tag, error.code().httpStatus(), error.code().name(), error.message());
    }
}
