package io.concordat.client;

/**
 * A request the {@link BftClient} could not complete: it timed out without f+1 (or 2f+1) matching
 * replies, enough replicas refused it, or the client was closed. The message says how many valid replies
 * came, from which replicas, how many matched, and what the others did.
 */
public final class BftClientException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure this is, so that callers can act without parsing the message. */
    public enum Kind {
        /** All attempts ran out without enough matching replies. */
        TIMED_OUT,
        /** At least f+1 replicas refused the request for a reason retransmitting cannot fix (4xx). */
        REFUSED,
        /** The client was closed before the request completed. */
        CLOSED
    }

    private final Kind kind;
    private final long requestNumber;

    public BftClientException(Kind kind, long requestNumber, String message) {
        super(message);
        this.kind = kind;
        this.requestNumber = requestNumber;
    }

    public Kind kind() {
        return kind;
    }

    /** The request's number, or 0 if it never got one (it was queued when the client closed). */
    public long requestNumber() {
        return requestNumber;
    }
}
