package io.concordat.protocol;

import java.util.EnumMap;
import java.util.Map;

/** Logical time and the core's deadlines, in ticks. Changes are reported in {@link Ready#timers()}. */
final class Timers {
    private long now;
    private final Map<TimerChange.Timer, Long> deadlines = new EnumMap<>(TimerChange.Timer.class);

    long now() {
        return now;
    }

    void advance() {
        now++;
    }

    boolean isArmed(TimerChange.Timer timer) {
        return deadlines.containsKey(timer);
    }

    /** Arms the timer unless it is armed already; an armed timer keeps its deadline. */
    void start(ReadyBuilder out, TimerChange.Timer timer, long deadline) {
        if (!deadlines.containsKey(timer)) {
            restart(out, timer, deadline);
        }
    }

    /** Arms the timer with a new deadline, whether or not it was armed. */
    void restart(ReadyBuilder out, TimerChange.Timer timer, long deadline) {
        deadlines.put(timer, deadline);
        out.timers.add(new TimerChange.Started(timer, deadline));
    }

    void stop(ReadyBuilder out, TimerChange.Timer timer) {
        if (deadlines.remove(timer) != null) {
            out.timers.add(new TimerChange.Stopped(timer));
        }
    }

    boolean expired(TimerChange.Timer timer) {
        Long deadline = deadlines.get(timer);
        return deadline != null && now >= deadline;
    }
}
