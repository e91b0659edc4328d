package io.concordat.config;

import java.time.Duration;

/** Renders durations in the HOCON units Typesafe Config reads back exactly: s, ms, us or ns. */
final class Durations {
    private static final long NANOS_PER_MICROSECOND = 1_000L;
    private static final long NANOS_PER_MILLISECOND = 1_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private Durations() {}

    /** The largest unit that represents {@code duration} exactly, e.g. "10ms", "2s", "1500us". */
    static String render(Duration duration) {
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        if (nanos == 0) {
            return seconds + "s";
        }
        if (Math.abs(seconds) > Long.MAX_VALUE / NANOS_PER_SECOND - 1) {
            return duration.toString();
        }
        long total = duration.toNanos();
        if (total % NANOS_PER_MILLISECOND == 0) {
            return total / NANOS_PER_MILLISECOND + "ms";
        }
        if (total % NANOS_PER_MICROSECOND == 0) {
            return total / NANOS_PER_MICROSECOND + "us";
        }
        return total + "ns";
    }
}
