package io.concordat.config;

/**
 * A key file that cannot be written or read: it already exists, is missing, is corrupt, or is readable by
 * other users. The message names the file and says what to do; it never contains key material.
 */
public final class KeyFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
