package io.concordat.wire;

/** Why the decoder rejected its input. Each value is a drop reason worth counting separately. */
public enum DecodeError {
    /** Larger than {@link WireLimits#maxEnvelopeBytes()}, or a batch with more requests than allowed. */
    OVERSIZED,
    /** Not parseable as protobuf: cut short, a bad tag, a length past the end. */
    TRUNCATED_OR_MALFORMED,
    /** No message, or one of a kind this version does not know. */
    UNKNOWN_TYPE,
    /** A protocol version other than {@link ProtobufCodec#PROTOCOL_VERSION}. */
    UNSUPPORTED_VERSION,
    /** A field out of range or of the wrong size: a digest that is not 32 bytes, a negative view, and so on. */
    INVALID_FIELD,
    /** A known message in a position where it is not allowed, such as a prepare inside a batch. */
    UNEXPECTED_TYPE,
    /**
     * Parseable, but not the canonical serialization: unknown fields, repeated or out-of-order fields,
     * default values written out, or non-minimal varints. Accepting only one encoding per message means a
     * relayed message cannot be re-encoded into a different byte string with the same meaning.
     */
    NON_CANONICAL
}
