package io.concordat.endpoint;

/**
 * Every error the client endpoint answers with. The name travels in the {@code Concordat-Error} response
 * header, so a client can act on it without parsing the human-readable body.
 */
public enum ErrorCode {
    /** 400: the body is empty or not a well-formed, canonical envelope. */
    MALFORMED(400),
    /** 400: a well-formed envelope that does not hold exactly one signed client request. */
    NOT_A_CLIENT_REQUEST(400),
    /** 403: the request's signature does not verify against the client id it names. */
    BAD_SIGNATURE(403),
    /** 404: no such path. */
    NOT_FOUND(404),
    /** 405: the path exists, the method does not. */
    METHOD_NOT_ALLOWED(405),
    /** 408: the client did not send its body within the endpoint's body read timeout. */
    BODY_TIMEOUT(408),
    /** 409: the request number is older than one the replica executed or holds for this client. */
    STALE_REQUEST(409),
    /** 413: the body or the operation inside it is larger than the endpoint accepts. */
    OVERSIZED(413),
    /** 415: the body is not {@code application/x-protobuf}. */
    UNSUPPORTED_MEDIA_TYPE(415),
    /** 426: {@code GET /v1/stream} without a WebSocket upgrade. */
    UPGRADE_REQUIRED(426),
    /** 500: the endpoint or the replica failed unexpectedly; retry. */
    INTERNAL_ERROR(500),
    /** 503: too many requests in flight at this endpoint or replica; retry after a while. */
    OVERLOADED(503),
    /** 503: the replica cannot serve requests now; try again later or rely on the other replicas. */
    UNAVAILABLE(503),
    /** 504: the request was accepted but no reply came within the endpoint's reply wait; retransmit. */
    REPLY_TIMEOUT(504);

    private final int httpStatus;

    ErrorCode(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    static ErrorCode of(SubmitOutcome.Refusal refusal) {
        switch (refusal) {
            case MALFORMED: return MALFORMED;
            case NOT_A_CLIENT_REQUEST: return NOT_A_CLIENT_REQUEST;
            case OVERSIZED: return OVERSIZED;
            case BAD_SIGNATURE: return BAD_SIGNATURE;
            case STALE_REQUEST: return STALE_REQUEST;
            case OVERLOADED: return OVERLOADED;
            case UNAVAILABLE: return UNAVAILABLE;
            default: throw new IllegalArgumentException("no error code for " + refusal);
        }
    }
}
