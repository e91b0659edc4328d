package io.concordat.replica;

import java.util.OptionalLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The ordering-layer API for systems that embed Concordat: the committed log of one replica as a Pekko
 * Streams {@link Source} of {@link CommittedEntry} (sequence number, batch, commit certificate), from any
 * position the replica still retains.
 *
 * <p>Retention: a replica keeps the entries after its last stable checkpoint plus
 * {@code concordat.replica.ordered-log.retained-beyond-checkpoint} more (PBFT §4.3 discards the protocol
 * log below a stable checkpoint; this keeps a tail for readers). Streams pull one entry at a time, so a
 * slow reader never makes the replica buffer for it; a reader that falls below the retained range fails
 * with {@link PositionNotRetainedException} and should restart from an application snapshot.
 *
 * <p>Entries appear once the replica executed them, in sequence order. A replica that is not yet caught
 * up simply has not produced the later entries; every correct replica produces the same entry at each
 * sequence number.
 */
public final class OrderedLog {
    private final RetainedLog retained;

    OrderedLog(RetainedLog retained) {
        this.retained = retained;
    }

    /**
     * The entries from {@code sequence} on (the first retained one at or after it), then each new entry as
     * it commits; completes when the replica stops. Fails at once with
     * {@link PositionNotRetainedException} if {@code sequence} was already discarded.
     */
    public Source<CommittedEntry, NotUsed> from(long sequence) {
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence numbers start at 1, got " + sequence);
        }
        return Source.unfoldAsync(sequence, next -> retained.next(next)
                .thenApply(entry -> entry.map(found -> Pair.create(found.sequence() + 1, found))));
    }

    /** {@link #from(long)} the oldest retained entry, or the next one to commit if none is retained. */
    public Source<CommittedEntry, NotUsed> fromOldestRetained() {
        return Source.lazySource(() -> from(retained.firstAvailableSequence()))
                .mapMaterializedValue(ignored -> NotUsed.getInstance());
    }

    /** The oldest sequence number still retained, if any entry is. */
    public OptionalLong oldestRetainedSequence() {
        return retained.oldestSequence();
    }

    /** The latest committed and executed sequence number retained, if any. */
    public OptionalLong latestSequence() {
        return retained.latestSequence();
    }
}
