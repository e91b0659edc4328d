package io.concordat.protocol;

/**
 * A change to the core's timers. The core keeps its own deadlines in ticks and fires them from
 * {@link Input.Tick}; these notices let a shell tick only while some timer is armed.
 */
public sealed interface TimerChange {

    enum Timer {
        /** The primary waits to fill a batch. */
        BATCH,
        /** The replica has unfinished work and will multicast its status if it makes no progress. */
        STATUS,
        /** A request is waiting to execute; on expiry the replica suspects the primary (PBFT §4.4). */
        REQUEST,
        /** The replica is changing views and waits for the NEW-VIEW; on expiry it moves one view further. */
        VIEW_CHANGE,
        /** The primary's heartbeat, and the backups' patience with a silent primary. */
        HEARTBEAT
    }

    record Started(Timer timer, long deadlineTick) implements TimerChange {}

    record Stopped(Timer timer) implements TimerChange {}
}
