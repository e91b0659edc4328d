package io.concordat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.concordat.wire.proto.Batch;
import io.concordat.wire.proto.Envelope;
import io.concordat.wire.proto.PrePrepareBundle;
import java.io.IOException;

/**
 * Counts the client requests in an envelope's batch by walking the wire format, before the envelope is
 * parsed. Parsing materialises one object per request, so an envelope packed with empty requests would
 * otherwise cost tens of times its own size in memory before the batch limit could be checked.
 *
 * <p>Protobuf merges repeated occurrences of a message field, so every occurrence of the bundle and of
 * its batch is counted. The count can only exceed what the parser would keep, never fall short of it.
 */
final class BatchRequestCounter {
    private BatchRequestCounter() {}

    static long count(ByteString envelope) throws RejectedInput {
        try {
            return countField(envelope, Envelope.PRE_PREPARE_FIELD_NUMBER, BatchRequestCounter::countInBundle);
        } catch (IOException malformed) {
            throw new RejectedInput(DecodeError.TRUNCATED_OR_MALFORMED, "envelope: " + malformed.getMessage());
        }
    }

    /** The one wording of the batch limit rejection, used before and after parsing. */
    static RejectedInput limitExceeded(long requests, WireLimits limits) {
        return new RejectedInput(DecodeError.OVERSIZED, "batch holds " + requests
                + " requests, the limit is " + limits.maxBatchRequests());
    }

    private static long countInBundle(ByteString bundle) throws IOException {
        return countField(bundle, PrePrepareBundle.BATCH_FIELD_NUMBER, BatchRequestCounter::countInBatch);
    }

    private static long countInBatch(ByteString batch) throws IOException {
        return countField(batch, Batch.REQUESTS_FIELD_NUMBER, request -> 1);
    }

    /** Sums {@code inner} over every length-delimited occurrence of {@code fieldNumber}, skipping other fields. */
    private static long countField(ByteString message, int fieldNumber, Counter inner) throws IOException {
        CodedInputStream stream = message.newCodedInput();
        stream.enableAliasing(true);
        long total = 0;
        while (true) {
            int tag = stream.readTag();
            if (tag == 0) {
                return total;
            }
            if (WireFormat.getTagFieldNumber(tag) == fieldNumber
                    && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                total += inner.count(stream.readBytes());
            } else if (!stream.skipField(tag)) {
                return total;
            }
        }
    }

    @FunctionalInterface
    private interface Counter {
        long count(ByteString field) throws IOException;
    }
}
