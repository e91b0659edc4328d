package io.concordat.replica;

/**
 * The ordered log no longer holds the requested position: it was discarded after a stable checkpoint, or
 * a slow reader fell behind the retention bound. The reader should restart from a snapshot.
 */
public final class PositionNotRetainedException extends IllegalStateException {
    private final long requestedSequence;
    private final long oldestRetainedSequence;

    public PositionNotRetainedException(long requestedSequence, long oldestRetainedSequence) {
        super("sequence " + requestedSequence + " is no longer retained; the oldest retained is "
                + oldestRetainedSequence + " (see concordat.replica.ordered-log.retained-beyond-checkpoint)");
        this.requestedSequence = requestedSequence;
        this.oldestRetainedSequence = oldestRetainedSequence;
    }

    public long requestedSequence() {
        return requestedSequence;
    }

    public long oldestRetainedSequence() {
        return oldestRetainedSequence;
    }
}
