package io.concordat.protocol;

/**
 * A change to the core's timers. The core keeps its own deadlines in ticks and fires them from
 * {@link Input.Tick}; these notices let a shell tick only while some timer is armed.
 */
public sealed interface TimerChange {

    enum Timer {
        /** The primary waits to fill a batch. */
        BATCH,
        /** The replica has unfinished work and will multicast its status. */
        STATUS
    }

    record Started(Timer timer, long deadlineTick) implements TimerChange {}

    record Stopped(Timer timer) implements TimerChange {}
}
