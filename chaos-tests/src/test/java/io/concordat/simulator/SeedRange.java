package io.concordat.simulator;

/**
 * Where the seed sweeps start and how many seeds they run. {@code simulation.firstSeed} (or its older name
 * {@code simulation.baseSeed}) moves the start, so that new seeds can be explored between releases:
 * {@code -Dsimulation.firstSeed=50000 -Dsimulation.seeds=20000}. The default suite runs the fixed seeds from 1.
 */
final class SeedRange {
    private SeedRange() {}

    static long firstSeed() {
        return Long.getLong("simulation.firstSeed", Long.getLong("simulation.baseSeed", 1));
    }

    static long seeds(long defaultCount) {
        return Long.getLong("simulation.seeds", defaultCount);
    }
}
