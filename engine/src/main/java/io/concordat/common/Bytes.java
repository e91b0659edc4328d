package io.concordat.common;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An immutable byte string with value equality. Records that carry raw bytes use this instead of
 * {@code byte[]}, whose equality is identity and which can be mutated after construction.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] value;
    private int hash;

    private Bytes(byte[] value) {
        this.value = value;
    }

    /** Copies {@code value}, so later changes to the array do not change this value. */
    public static Bytes copyOf(byte[] value) {
        return value.length == 0 ? EMPTY : new Bytes(value.clone());
    }

    /** Copies {@code length} bytes of {@code value} starting at {@code offset}. */
    public static Bytes copyOf(byte[] value, int offset, int length) {
        return length == 0 ? EMPTY : new Bytes(Arrays.copyOfRange(value, offset, offset + length));
    }

    /**
     * Wraps {@code value} without copying. Only for arrays that no other code holds a reference to,
     * such as the fresh output of a hash or a signature.
     */
    public static Bytes wrap(byte[] value) {
        return value.length == 0 ? EMPTY : new Bytes(value);
    }

    public static Bytes ofUtf8(String text) {
        return wrap(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static Bytes fromHex(String hex) {
        return wrap(HexFormat.of().parseHex(hex));
    }

    public int size() {
        return value.length;
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    public byte byteAt(int index) {
        return value[index];
    }

    /** A fresh copy of the content. */
    public byte[] toByteArray() {
        return value.clone();
    }

    /**
     * The backing array, not copied. Callers must not modify it; this exists so that hashing and
     * signing do not copy every message.
     */
    public byte[] unsafeArray() {
        return value;
    }

    public String toHex() {
        return HexFormat.of().formatHex(value);
    }

    public String toUtf8() {
        return new String(value, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes bytes && Arrays.equals(value, bytes.value);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(value);
            hash = h;
        }
        return h;
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(value, other.value);
    }

    /** Short hex prefix for logs. */
    @Override
    public String toString() {
        String hex = toHex();
        return hex.length() <= 16 ? hex : hex.substring(0, 16) + "..(" + value.length + " B)";
    }
}
