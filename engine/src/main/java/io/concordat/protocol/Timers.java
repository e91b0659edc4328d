package io.concordat.protocol;

import java.util.OptionalLong;

/** Logical time and the core's deadlines, in ticks. Changes are reported in {@link Ready#timers()}. */
final class Timers {
    private long now;
    private OptionalLong batchDeadline = OptionalLong.empty();
    private OptionalLong statusDeadline = OptionalLong.empty();

    long now() {
        return now;
    }

    void advance() {
        now++;
    }

    void startBatch(ReadyBuilder out, long deadline) {
        if (batchDeadline.isEmpty()) {
            batchDeadline = OptionalLong.of(deadline);
            out.timers.add(new TimerChange.Started(TimerChange.Timer.BATCH, deadline));
        }
    }

    void stopBatch(ReadyBuilder out) {
        if (batchDeadline.isPresent()) {
            batchDeadline = OptionalLong.empty();
            out.timers.add(new TimerChange.Stopped(TimerChange.Timer.BATCH));
        }
    }

    boolean batchExpired() {
        return batchDeadline.isPresent() && now >= batchDeadline.getAsLong();
    }

    void startStatus(ReadyBuilder out, long deadline) {
        if (statusDeadline.isEmpty()) {
            statusDeadline = OptionalLong.of(deadline);
            out.timers.add(new TimerChange.Started(TimerChange.Timer.STATUS, deadline));
        }
    }

    void stopStatus(ReadyBuilder out) {
        if (statusDeadline.isPresent()) {
            statusDeadline = OptionalLong.empty();
            out.timers.add(new TimerChange.Stopped(TimerChange.Timer.STATUS));
        }
    }

    boolean statusExpired() {
        return statusDeadline.isPresent() && now >= statusDeadline.getAsLong();
    }
}
