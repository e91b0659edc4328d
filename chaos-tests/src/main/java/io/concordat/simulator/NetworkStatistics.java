package io.concordat.simulator;

/** Counts of what the simulated network did to the messages of one run. */
final class NetworkStatistics {
    long sent;
    long lost;
    long duplicated;
    long partitioned;
    long delivered;
    long refusedByCrashedNode;
    long partitions;

    @Override
    public String toString() {
        return "sent " + sent + ", delivered " + delivered + ", lost " + lost + ", duplicated " + duplicated
                + ", cut by " + partitions + " partitions " + partitioned + ", refused by crashed nodes "
                + refusedByCrashedNode;
    }
}
