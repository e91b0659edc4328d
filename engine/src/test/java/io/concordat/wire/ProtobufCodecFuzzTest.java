package io.concordat.wire;

import static io.concordat.wire.WireFixtures.CODEC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import io.concordat.protocol.message.Envelope;
import io.concordat.protocol.message.Signed;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded property tests over hostile input: the decoder must return a result for every input without
 * throwing, and whatever it accepts must be canonical, meaning that encoding the decoded value gives back
 * exactly the input. A failure message names the seed and the input so that it can be replayed.
 */
class ProtobufCodecFuzzTest {
    private static final int INPUTS_PER_SEED = 2_000;

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomGarbageNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        for (int input = 0; input < INPUTS_PER_SEED; input++) {
            byte[] garbage = new byte[random.nextInt(0, 600)];
            random.nextBytes(garbage);
            if (random.nextBoolean() && garbage.length >= 2) {
                garbage[0] = 0x08;
                garbage[1] = 0x01;
            }
            checkEnvelope(Bytes.wrap(garbage), "seed " + seed + " input " + input);
            checkSigned(Bytes.wrap(garbage), "seed " + seed + " input " + input);
        }
    }

    /** Garbage made of well-formed protobuf fields with random numbers and wire types, nested a few levels. */
    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13, 14, 15})
    void randomProtobufShapedInputNeverThrows(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int decoded = 0;
        for (int input = 0; input < INPUTS_PER_SEED; input++) {
            byte[] fields = randomFields(random, 3);
            byte[] envelope = ProtobufCodecRejectionTest.concat(new byte[] {0x08, 0x01}, fields);
            if (checkEnvelope(Bytes.wrap(envelope), "seed " + seed + " input " + input)) {
                decoded++;
            }
            checkSigned(Bytes.wrap(fields), "seed " + seed + " input " + input);
        }
        assertTrue(decoded < INPUTS_PER_SEED);
    }

    static Stream<Bytes> validEnvelopes() {
        return Stream.of(
                CODEC.encodeEnvelope(WireFixtures.prepareEnvelope()),
                CODEC.encodeEnvelope(WireFixtures.prePrepareEnvelope(0)),
                CODEC.encodeEnvelope(WireFixtures.prePrepareEnvelope(2)));
    }

    /**
     * Flipping a bit of a signature leaves a well-formed envelope (signatures are verified by the core, not
     * here), while flipping a tag or length usually breaks it; both outcomes must occur, and neither may throw.
     */
    @ParameterizedTest
    @MethodSource("validEnvelopes")
    void everySingleBitFlipOfAValidEnvelopeIsHandled(Bytes valid) {
        int decoded = 0;
        int rejected = 0;
        for (int bit = 0; bit < valid.size() * 8; bit++) {
            byte[] flipped = valid.toByteArray();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            if (checkEnvelope(Bytes.wrap(flipped), "bit " + bit)) {
                decoded++;
            } else {
                rejected++;
            }
        }
        assertTrue(decoded > 0, "no flip decoded");
        assertTrue(rejected > 0, "no flip rejected");
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24, 25})
    void randomEditsOfValidEnvelopesNeverThrow(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Bytes[] valid = validEnvelopes().toArray(Bytes[]::new);
        for (int input = 0; input < INPUTS_PER_SEED; input++) {
            byte[] edited = edit(valid[random.nextInt(valid.length)].toByteArray(), random);
            checkEnvelope(Bytes.wrap(edited), "seed " + seed + " input " + input);
        }
    }

    /** A flipped bit inside a signature changes only that signature. */
    @Test
    void signatureBitFlipDecodesToTheSameBodyWithTheFlippedSignature() {
        Envelope.MessageEnvelope envelope = WireFixtures.prepareEnvelope();
        byte[] bytes = CODEC.encodeEnvelope(envelope).toByteArray();
        bytes[bytes.length - 1] ^= 0x01;

        var decoded = (Envelope.MessageEnvelope) ProtobufCodecRoundTripTest.decoded(CODEC.decodeEnvelope(Bytes.wrap(bytes)));

        assertEquals(envelope.message().body(), decoded.message().body());
        assertEquals(envelope.message().encoded(), decoded.message().encoded());
        byte[] expectedSignature = envelope.message().signature().toByteArray();
        expectedSignature[63] ^= 0x01;
        assertEquals(Bytes.wrap(expectedSignature), decoded.message().signature());
    }

    /** Returns whether the input was accepted, after checking that acceptance implies canonical form. */
    private static boolean checkEnvelope(Bytes input, String label) {
        DecodeResult result;
        try {
            result = CODEC.decodeEnvelope(input);
        } catch (RuntimeException | StackOverflowError escaped) {
            throw new AssertionError(label + ": decodeEnvelope threw on " + input.toHex(), escaped);
        }
        assertNotNull(result, label);
        if (result instanceof DecodeResult.Decoded decoded) {
            assertEquals(input, CODEC.encodeEnvelope(decoded.envelope()), label + ": accepted a non-canonical envelope");
            for (Signed<?> signed : signedParts(decoded.envelope())) {
                assertEquals(signed.encoded(), CODEC.encode(signed.body()), label + ": body differs from its bytes");
            }
            return true;
        }
        return false;
    }

    private static void checkSigned(Bytes input, String label) {
        SignedDecodeResult result;
        try {
            result = CODEC.decodeSigned(input);
        } catch (RuntimeException | StackOverflowError escaped) {
            throw new AssertionError(label + ": decodeSigned threw on " + input.toHex(), escaped);
        }
        if (result instanceof SignedDecodeResult.Decoded decoded) {
            assertEquals(input, CODEC.encodeSigned(decoded.message()), label + ": accepted a non-canonical message");
        }
    }

    private static java.util.List<Signed<?>> signedParts(Envelope envelope) {
        if (envelope instanceof Envelope.MessageEnvelope message) {
            return java.util.List.of(message.message());
        }
        var prePrepare = (Envelope.PrePrepareEnvelope) envelope;
        var parts = new java.util.ArrayList<Signed<?>>(prePrepare.batch().requests());
        parts.add(prePrepare.prePrepare());
        return parts;
    }

    private static byte[] edit(byte[] bytes, SplittableRandom random) {
        int position = random.nextInt(bytes.length + 1);
        int length = random.nextInt(1, 9);
        switch (random.nextInt(4)) {
            case 0: {
                byte[] inserted = new byte[length];
                random.nextBytes(inserted);
                byte[] result = Arrays.copyOf(bytes, bytes.length + length);
                System.arraycopy(bytes, position, result, position + length, bytes.length - position);
                System.arraycopy(inserted, 0, result, position, length);
                return result;
            }
            case 1: {
                int end = Math.min(bytes.length, position + length);
                byte[] result = Arrays.copyOf(bytes, bytes.length - (end - position));
                System.arraycopy(bytes, end, result, position, bytes.length - end);
                return result;
            }
            case 2: {
                byte[] result = bytes.clone();
                for (int index = position; index < Math.min(result.length, position + length); index++) {
                    result[index] = (byte) random.nextInt(256);
                }
                return result;
            }
            default: {
                int end = Math.min(bytes.length, position + length);
                byte[] result = Arrays.copyOf(bytes, bytes.length + (end - position));
                System.arraycopy(bytes, position, result, end, bytes.length - position);
                return result;
            }
        }
    }

    private static byte[] randomFields(SplittableRandom random, int depth) {
        var out = new java.io.ByteArrayOutputStream();
        int fields = random.nextInt(0, 6);
        for (int field = 0; field < fields; field++) {
            int number = random.nextInt(1, 17);
            int wireType = random.nextInt(6);
            writeVarint(out, ((long) number << 3) | wireType);
            switch (wireType) {
                case 0:
                    writeVarint(out, random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(0, 300));
                    break;
                case 1:
                    writeRandom(out, random, 8);
                    break;
                case 2: {
                    byte[] content = depth > 0 && random.nextBoolean()
                            ? randomFields(random, depth - 1)
                            : randomContent(random);
                    writeVarint(out, content.length);
                    out.writeBytes(content);
                    break;
                }
                case 5:
                    writeRandom(out, random, 4);
                    break;
                default:
                    break;
            }
        }
        return out.toByteArray();
    }

    private static byte[] randomContent(SplittableRandom random) {
        int[] sizes = {0, 1, 31, 32, 33, 63, 64, 65};
        byte[] content = new byte[sizes[random.nextInt(sizes.length)]];
        random.nextBytes(content);
        return content;
    }

    private static void writeRandom(java.io.ByteArrayOutputStream out, SplittableRandom random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        out.writeBytes(bytes);
    }

    private static void writeVarint(java.io.ByteArrayOutputStream out, long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
