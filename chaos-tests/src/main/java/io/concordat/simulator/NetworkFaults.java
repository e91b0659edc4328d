package io.concordat.simulator;

import java.util.SplittableRandom;

/**
 * How badly the simulated network behaves during the safety phase of one run. Every message is lost,
 * duplicated and delayed independently; reordering follows from the random delays. Partitions split
 * the replicas into two sides for a while; clients always reach both sides.
 *
 * @param lossProbability chance that one sent message is never delivered
 * @param duplicateProbability chance that one sent message is delivered a second time
 * @param minimumDelayTicks the fewest ticks between sending and delivery (at least 1)
 * @param maximumDelayTicks the most ticks between sending and delivery
 * @param partitionProbability chance, per tick without a partition, that one starts
 * @param partitionDurationTicksMax the longest a partition lasts
 */
public record NetworkFaults(
        double lossProbability,
        double duplicateProbability,
        int minimumDelayTicks,
        int maximumDelayTicks,
        double partitionProbability,
        int partitionDurationTicksMax) {

    /** A network that only delays: what the liveness phase runs on once the faults heal. */
    public static final NetworkFaults NONE = new NetworkFaults(0, 0, 1, 1, 0, 1);

    public NetworkFaults {
        requireProbability("lossProbability", lossProbability);
        requireProbability("duplicateProbability", duplicateProbability);
        requireProbability("partitionProbability", partitionProbability);
        if (minimumDelayTicks < 1 || maximumDelayTicks < minimumDelayTicks) {
            throw new IllegalArgumentException("need 1 <= minimumDelayTicks <= maximumDelayTicks, got "
                    + minimumDelayTicks + " and " + maximumDelayTicks);
        }
        if (partitionDurationTicksMax < 1) {
            throw new IllegalArgumentException("partitionDurationTicksMax must be >= 1, got " + partitionDurationTicksMax);
        }
    }

    /** Draws the faults of one run; a quarter of the runs get a network that never loses a message. */
    public static NetworkFaults random(SplittableRandom random) {
        boolean lossless = random.nextInt(4) == 0;
        double loss = lossless ? 0 : random.nextDouble(0.25);
        double duplicate = random.nextInt(3) == 0 ? 0 : random.nextDouble(0.2);
        int maximumDelay = 1 + random.nextInt(10);
        double partition = random.nextInt(3) == 0 ? 0 : random.nextDouble(0.02);
        int partitionDuration = 10 + random.nextInt(90);
        return new NetworkFaults(loss, duplicate, 1, maximumDelay, partition, partitionDuration);
    }

    /** The same delays with every other fault healed. */
    public NetworkFaults healed() {
        return new NetworkFaults(0, 0, minimumDelayTicks, maximumDelayTicks, 0, partitionDurationTicksMax);
    }

    private static void requireProbability(String name, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(name + " must lie in [0, 1], got " + value);
        }
    }
}
