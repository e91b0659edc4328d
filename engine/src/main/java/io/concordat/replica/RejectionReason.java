package io.concordat.replica;

/** Why a replica refused a client's submission; each one is also counted in {@link ReplicaMetrics}. */
public enum RejectionReason {
    /** The bytes are not a well-formed envelope. */
    MALFORMED("malformed"),
    /** The envelope or its operation is larger than the configured limits. */
    OVERSIZED("oversized"),
    /** The request's signature does not verify against the client id it names. */
    BAD_SIGNATURE("bad signature"),
    /** The request number is older than one this client already had executed or pending. */
    STALE_REQUEST("stale request"),
    /** The replica holds as many pending requests as it may. */
    OVERLOADED("overloaded"),
    /** A well-formed message, but not a client request. */
    NOT_A_CLIENT_REQUEST("not a client request"),
    /** The replica stopped after an internal error and serves nothing until it is restarted. */
    REPLICA_HALTED("replica halted");

    private final String label;

    RejectionReason(String label) {
        this.label = label;
    }

    /** The short, stable text that starts every rejection message, for example "bad signature". */
    public String label() {
        return label;
    }
}
