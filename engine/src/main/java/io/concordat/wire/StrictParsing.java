package io.concordat.wire;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.DiscardUnknownFieldsParser;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/**
 * Parses untrusted protobuf so that a hostile input cannot allocate beyond a small multiple of its size,
 * and checks that what was parsed is the one canonical encoding.
 *
 * <p>Unknown fields are skipped rather than kept, because protobuf-java would otherwise box and store
 * each one. Their presence is still detected: the canonical check re-serializes the parsed message, which
 * no longer contains them, and compares it with the input.
 */
final class StrictParsing {
    private StrictParsing() {}

    static <T extends Message> T parse(Parser<T> parser, ByteString input, String what) throws RejectedInput {
        CodedInputStream stream = input.newCodedInput();
        // Bytes fields alias the input instead of copying it; callers copy once when they build a value.
        stream.enableAliasing(true);
        try {
            T message = DiscardUnknownFieldsParser.wrap(parser).parseFrom(stream);
            // A stray end-group tag stops parsing early without an error; the rest would be ignored.
            stream.checkLastTagWas(0);
            return message;
        } catch (InvalidProtocolBufferException malformed) {
            throw new RejectedInput(DecodeError.TRUNCATED_OR_MALFORMED, what + ": " + malformed.getMessage());
        }
    }

    static void requireCanonical(Message parsed, ByteString input, String what) throws RejectedInput {
        if (!parsed.toByteString().equals(input)) {
            throw new RejectedInput(DecodeError.NON_CANONICAL, what + " is not in canonical protobuf form"
                    + " (unknown, repeated or out-of-order fields, explicit default values, or non-minimal varints)");
        }
    }
}
