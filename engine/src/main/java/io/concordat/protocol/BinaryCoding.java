package io.concordat.protocol;

/** Big-endian integers in byte arrays, for the few structures the core serialises itself. */
final class BinaryCoding {
    private BinaryCoding() {}

    static int putInt(byte[] out, int offset, int value) {
        for (int shift = 24; shift >= 0; shift -= 8) {
            out[offset++] = (byte) (value >>> shift);
        }
        return offset;
    }

    static int putLong(byte[] out, int offset, long value) {
        for (int shift = 56; shift >= 0; shift -= 8) {
            out[offset++] = (byte) (value >>> shift);
        }
        return offset;
    }

    static int getInt(byte[] in, int offset) {
        int value = 0;
        for (int index = 0; index < 4; index++) {
            value = (value << 8) | (in[offset + index] & 0xff);
        }
        return value;
    }

    static long getLong(byte[] in, int offset) {
        long value = 0;
        for (int index = 0; index < 8; index++) {
            value = (value << 8) | (in[offset + index] & 0xff);
        }
        return value;
    }
}
