package io.concordat.protocol;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Signable;

/**
 * Produces the bytes that are signed for a message body. The wire module implements it with protobuf;
 * the core only needs the bytes, so it stays free of any encoding library.
 */
public interface MessageEncoder {
    Bytes encode(Signable body);
}
