package io.concordat.simulator;

import io.concordat.common.Bytes;
import io.concordat.crypto.Digest;
import io.concordat.crypto.Sha256;
import java.io.PrintStream;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The event trace of one run, folded into a SHA-256 hash as it happens. Two runs from the same seed must
 * produce the same hash: that is how the simulator proves a replay is the same run. With a log stream
 * it also prints every event, which is how a failing seed is debugged.
 */
final class Trace {
    private final Sha256.Builder hash = Sha256.builder();
    private final Optional<PrintStream> log;
    private final Function<Bytes, String> describer;
    private long events;

    Trace(Optional<PrintStream> log) {
        this(log, payload -> Sha256.of(payload).toString());
    }

    /** @param describer renders a payload for the log; called only when there is a log */
    Trace(Optional<PrintStream> log, Function<Bytes, String> describer) {
        this.log = log;
        this.describer = describer;
    }

    /** A message event: sent, delivered, lost, duplicated, refused by a partition or a crashed node. */
    void message(long tick, String kind, int source, int destination, Bytes payload) {
        hash.putLong(tick).putBytes(Bytes.ofUtf8(kind)).putLong(source).putLong(destination).putBytes(payload);
        events++;
        log.ifPresent(out -> out.printf("%6d %-11s %d -> %d %s%n", tick, kind, source, destination,
                describer.apply(payload)));
    }

    /** Any other event, described in words (crash, partition, execution, client completion). */
    void event(long tick, String description) {
        hash.putLong(tick).putBytes(Bytes.ofUtf8(description));
        events++;
        log.ifPresent(out -> out.printf("%6d %s%n", tick, description));
    }

    /** Printed when there is a log, never hashed: detail that only helps a human read the run. */
    void note(long tick, Supplier<String> description) {
        log.ifPresent(out -> out.printf("%6d   %s%n", tick, description.get()));
    }

    long events() {
        return events;
    }

    /** Finishes the trace; call once, at the end of the run. */
    Digest finish() {
        return hash.putLong(events).build();
    }
}
