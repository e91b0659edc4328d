package io.concordat.simulator;

import io.concordat.common.Bytes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * The network of one run: encoded envelopes in flight, each with the tick it arrives. It loses,
 * duplicates and delays messages (so they arrive out of order) and partitions the replicas, all drawn
 * from its own random stream. Nodes are numbered: replicas 0..n-1, then the clients.
 *
 * <p>Messages due at the same tick are delivered in the order they were sent, so nothing depends on
 * the priority queue's tie-breaking.
 */
final class SimulatedNetwork {

    /** One envelope on its way. {@code order} is the global send order, the tie-breaker. */
    record InFlight(long deliveryTick, long order, int source, int destination, Bytes payload) {}

    private final PriorityQueue<InFlight> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(InFlight::deliveryTick).thenComparingLong(InFlight::order));
    private final SplittableRandom random;
    private final int replicaCount;
    private final Trace trace;
    private final NetworkStatistics statistics = new NetworkStatistics();
    private NetworkFaults faults;
    private long sendOrder;
    private long deliveryTickNow;
    /** The side of each replica while a partition lasts; all zero when there is none. */
    private final int[] partitionSide;
    private long partitionEndTick = -1;
    /** A replica cut off from the others until {@code isolationEndTick}, whatever the random partitions do. */
    private int isolatedReplica = -1;
    private long isolationEndTick = -1;

    SimulatedNetwork(int replicaCount, NetworkFaults faults, SplittableRandom random, Trace trace) {
        this.replicaCount = replicaCount;
        this.faults = faults;
        this.random = random;
        this.trace = trace;
        this.partitionSide = new int[replicaCount];
    }

    void send(long now, int source, int destination, Bytes payload) {
        statistics.sent++;
        if (random.nextDouble() < faults.lossProbability()) {
            statistics.lost++;
            trace.message(now, "lost", source, destination, payload);
            return;
        }
        enqueue(now, source, destination, payload);
        trace.message(now, "sent", source, destination, payload);
        if (random.nextDouble() < faults.duplicateProbability()) {
            statistics.duplicated++;
            enqueue(now, source, destination, payload);
            trace.message(now, "duplicated", source, destination, payload);
        }
    }

    /**
     * Removes and returns every message due by {@code now} that the current partition lets through;
     * the others are dropped. The caller still drops messages for crashed nodes.
     */
    List<InFlight> takeDue(long now) {
        List<InFlight> due = new ArrayList<>();
        deliveryTickNow = now;
        while (!inFlight.isEmpty() && inFlight.peek().deliveryTick() <= now) {
            InFlight message = inFlight.poll();
            if (separated(message.source(), message.destination())) {
                statistics.partitioned++;
                trace.message(now, "partition", message.source(), message.destination(), message.payload());
            } else {
                due.add(message);
            }
        }
        return due;
    }

    /** Starts or ends partitions; call once per tick before {@link #takeDue(long)}. */
    void updatePartitions(long now) {
        if (partitionEndTick >= 0 && now >= partitionEndTick) {
            endPartition(now);
        }
        if (partitionEndTick < 0 && random.nextDouble() < faults.partitionProbability()) {
            startPartition(now);
        }
    }

    /** The liveness phase: no more loss, duplication or partitions; delays stay. */
    void heal(long now) {
        faults = faults.healed();
        if (partitionEndTick >= 0) {
            endPartition(now);
        }
    }

    /**
     * Cuts {@code replica} off from every other replica until {@code endTick} (clients still reach it). It
     * is a network fault, so it survives {@link #heal(long)}: scenarios use it to force a view change.
     */
    void isolate(int replica, long endTick) {
        isolatedReplica = replica;
        isolationEndTick = endTick;
    }

    NetworkStatistics statistics() {
        return statistics;
    }

    private void enqueue(long now, int source, int destination, Bytes payload) {
        int delay = faults.minimumDelayTicks()
                + random.nextInt(faults.maximumDelayTicks() - faults.minimumDelayTicks() + 1);
        inFlight.add(new InFlight(now + delay, sendOrder++, source, destination, payload));
    }

    private boolean separated(int source, int destination) {
        if (isolatedReplica >= 0 && deliveryTickNow < isolationEndTick && source < replicaCount
                && destination < replicaCount && (source == isolatedReplica) != (destination == isolatedReplica)) {
            return true;
        }
        return source < replicaCount && destination < replicaCount
                && partitionSide[source] != partitionSide[destination];
    }

    /** Puts every replica on a random side; a side may end up empty, which is no partition at all. */
    private void startPartition(long now) {
        StringBuilder sides = new StringBuilder();
        for (int replica = 0; replica < replicaCount; replica++) {
            partitionSide[replica] = random.nextInt(2);
            sides.append(partitionSide[replica]);
        }
        partitionEndTick = now + 1 + random.nextInt(faults.partitionDurationTicksMax());
        statistics.partitions++;
        trace.event(now, "partition starts, sides " + sides + ", until tick " + partitionEndTick);
    }

    private void endPartition(long now) {
        Arrays.fill(partitionSide, 0);
        partitionEndTick = -1;
        trace.event(now, "partition ends");
    }
}
