package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The event trace of one run, folded into a SHA-256 hash as it happens. Two runs from the same seed must
 * produce the same hash: that is how the simulator proves a replay is the same run. With a log stream
 * it also prints every event, which is how a failing seed is debugged.
 */
final class Trace {
    private final Sha256.Builder hash = Sha256.builder();
    private final Optional<PrintStream> log;
    private long events;

    Trace(Optional<PrintStream> log) {
        this.log = log;
    }

    /** A message event: sent, delivered, lost, duplicated, refused by a partition or a crashed node. */
    void message(long tick, String kind, int source, int destination, Bytes payload) {
        hash.putLong(tick).putBytes(Bytes.ofUtf8(kind)).putLong(source).putLong(destination).putBytes(payload);
        events++;
        log.ifPresent(out -> out.printf("%6d %-10s %d -> %d %s%n", tick, kind, source, destination,
                Sha256.of(payload)));
    }

    /** Any other event, described in words (crash, partition, execution, client completion). */
    void event(long tick, String description) {
        hash.putLong(tick).putBytes(Bytes.ofUtf8(description));
        events++;
        log.ifPresent(out -> out.printf("%6d %s%n", tick, description));
    }

    long events() {
        return events;
    }

    /** Finishes the trace; call once, at the end of the run. */
    Digest finish() {
        return hash.putLong(events).build();
    }
}
