package io.concordat.protocol;

/** Why the core ignored an input. Every drop is reported in {@link Ready#dropped()} and counted. */
public enum DropReason {
    /** The signer is not in the membership. */
    UNKNOWN_SENDER,
    /** The signature does not verify against the signer's key. */
    BAD_SIGNATURE,
    /** The message claims a sender other than the one it came from, or breaks a structural rule. */
    MALFORMED,
    /** The message belongs to another view. */
    WRONG_VIEW,
    /** The sequence number lies outside the watermark window (h, h+L]. */
    OUTSIDE_WATERMARKS,
    /** The batch does not hash to the digest in its pre-prepare. */
    DIGEST_MISMATCH,
    /** Only the primary of the view may send this. */
    NOT_FROM_PRIMARY,
    /** The sender already sent a different message for the same slot; the first one stands. */
    CONFLICTING,
    /** Already have it; nothing changes. */
    DUPLICATE,
    /** The request number is older than the client's last executed one. */
    STALE_REQUEST,
    /** The operation is larger than requestMaxBytes. */
    OVERSIZED,
    /** The replica holds pendingRequestsMax requests already. */
    OVERLOADED,
    /** The message is about a sequence number this replica has already garbage-collected or does not need. */
    OBSOLETE,
    /** Replicas do not accept this kind of message from this source (for example a reply). */
    UNEXPECTED
}
