package io.concordat.simulator;

import java.util.OptionalLong;
import java.util.SplittableRandom;

/**
 * How one replica crashes. It stops at {@code crashTick}, either between two steps or in the middle of one
 * (after the step's events are durable, before its messages are sent: the moment the {@code Ready} order
 * rule is about). With a restart tick it comes back from its persisted events, through
 * {@code ExecutionDriver.recover}, and catches up; without one it stays down (crash-stop).
 *
 * @param crashTick when it crashes, inside the safety phase
 * @param afterPersistBeforeSend whether it dies between persisting and sending one step's output
 * @param restartTick when it restarts, if it does; may fall in the liveness phase
 */
public record CrashPlan(long crashTick, boolean afterPersistBeforeSend, OptionalLong restartTick) {
    public CrashPlan {
        if (crashTick < 0) {
            throw new IllegalArgumentException("crashTick must be >= 0, got " + crashTick);
        }
        if (restartTick.isPresent() && restartTick.getAsLong() <= crashTick) {
            throw new IllegalArgumentException("a replica restarts after it crashes: crash at " + crashTick
                    + ", restart at " + restartTick.getAsLong());
        }
    }

    /** Half the crashed replicas restart, after 10 to 300 ticks down. */
    static CrashPlan random(long safetyPhaseTicks, SplittableRandom random) {
        long crashTick = random.nextLong(safetyPhaseTicks);
        boolean afterPersistBeforeSend = random.nextBoolean();
        OptionalLong restart = random.nextBoolean() ? OptionalLong.of(crashTick + 10 + random.nextInt(290))
                : OptionalLong.empty();
        return new CrashPlan(crashTick, afterPersistBeforeSend, restart);
    }

    @Override
    public String toString() {
        return "crash at " + crashTick + (afterPersistBeforeSend ? " between persist and send" : "")
                + (restartTick.isPresent() ? ", restart at " + restartTick.getAsLong() : ", stays down");
    }
}
