package io.concordat.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StreamFramesTest {
    private static byte[] array(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void aRequestIsItsTagThenTheEnvelopeUnchanged() {
        Bytes envelope = Bytes.ofUtf8("envelope bytes");
        byte[] frame = array(StreamFrames.request(0x0102030405060708L, envelope));
        assertEquals(8 + envelope.size(), frame.length);
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, java.util.Arrays.copyOf(frame, 8));
        assertEquals(Optional.of(new StreamFrames.Request(0x0102030405060708L, envelope)),
                StreamFrames.decodeRequest(frame));
    }

    @Test
    void aRequestShorterThanATagDoesNotDecode() {
        assertEquals(Optional.empty(), StreamFrames.decodeRequest(new byte[7]));
        assertEquals(Optional.of(new StreamFrames.Request(0, Bytes.EMPTY)), StreamFrames.decodeRequest(new byte[8]));
    }

    @Test
    void repliesAndErrorsRoundTrip() {
        Bytes reply = Bytes.ofUtf8("signed reply");
        assertEquals(Optional.of(new StreamFrames.Answer.Reply(-1, reply)),
                StreamFrames.decodeAnswer(StreamFrames.reply(-1, reply)));
        assertEquals(Optional.of(new StreamFrames.Answer.Error(7, 503, "OVERLOADED", "overloaded: retry\nlater")),
                StreamFrames.decodeAnswer(StreamFrames.error(7, 503, "OVERLOADED", "overloaded: retry\nlater")));
    }

    @Test
    void anAnswerThatIsTooShortOrHasNoHttpStatusDoesNotDecode() {
        assertEquals(Optional.empty(), StreamFrames.decodeAnswer(new byte[9]));
        byte[] badStatus = ByteBuffer.allocate(10).putLong(1).putShort((short) 99).array();
        assertEquals(Optional.empty(), StreamFrames.decodeAnswer(badStatus));
        byte[] highStatus = ByteBuffer.allocate(10).putLong(1).putShort((short) 600).array();
        assertEquals(Optional.empty(), StreamFrames.decodeAnswer(highStatus));
        byte[] noNewline = ByteBuffer.allocate(13).putLong(1).putShort((short) 400).put("abc".getBytes()).array();
        var decoded = StreamFrames.decodeAnswer(noNewline).orElseThrow();
        assertTrue(decoded instanceof StreamFrames.Answer.Error error && error.code().isEmpty()
                && error.message().equals("abc"), decoded::toString);
    }

    @Test
    void anErrorMustNotClaimTheStatusOfAReply() {
        assertThrows(IllegalArgumentException.class, () -> StreamFrames.error(1, 200, "X", "y"));
        assertThrows(IllegalArgumentException.class, () -> StreamFrames.error(1, 600, "X", "y"));
    }

    /** The client decodes whatever a replica sends: random and truncated frames never throw. */
    @Test
    void randomAndTruncatedFramesNeverThrow() {
        var random = new java.util.SplittableRandom(20261203);
        byte[] valid = StreamFrames.error(3, 503, "OVERLOADED", "overloaded");
        for (int trial = 0; trial < 20_000; trial++) {
            byte[] frame = new byte[random.nextInt(64)];
            random.nextBytes(frame);
            if (trial % 2 == 0) {
                frame = java.util.Arrays.copyOf(valid, random.nextInt(valid.length + 1));
                if (frame.length > 0) {
                    frame[random.nextInt(frame.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            StreamFrames.decodeAnswer(frame);
            StreamFrames.decodeRequest(frame);
        }
    }
}
