package io.concordat.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.concordat.common.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulatedNetworkTest {
    private static final int REPLICAS = 4;

    @Test
    void aLosslessNetworkDeliversEverythingWithinTheDelayBound() {
        SimulatedNetwork network = network(new NetworkFaults(0, 0, 2, 5, 0, 1), 1);
        for (int message = 0; message < 100; message++) {
            network.send(0, 0, 1, payload(message));
        }
        assertEquals(List.of(), network.takeDue(1));
        List<SimulatedNetwork.InFlight> delivered = drain(network, 5);
        assertEquals(100, delivered.size());
        for (SimulatedNetwork.InFlight message : delivered) {
            assertTrue(message.deliveryTick() >= 2 && message.deliveryTick() <= 5, message::toString);
        }
    }

    @Test
    void randomDelaysReorderButTiesKeepTheSendOrder() {
        SimulatedNetwork network = network(new NetworkFaults(0, 0, 1, 10, 0, 1), 2);
        for (int message = 0; message < 200; message++) {
            network.send(0, 0, 1, payload(message));
        }
        List<SimulatedNetwork.InFlight> delivered = drain(network, 10);
        boolean reordered = false;
        for (int index = 1; index < delivered.size(); index++) {
            SimulatedNetwork.InFlight previous = delivered.get(index - 1);
            SimulatedNetwork.InFlight current = delivered.get(index);
            reordered |= current.order() < previous.order();
            if (current.deliveryTick() == previous.deliveryTick()) {
                assertTrue(current.order() > previous.order(), "same-tick deliveries keep the send order");
            }
        }
        assertTrue(reordered, "random delays should reorder some of 200 messages");
    }

    @Test
    void lossAndDuplicationFollowTheirProbabilities() {
        SimulatedNetwork lossy = network(new NetworkFaults(1, 0, 1, 1, 0, 1), 3);
        SimulatedNetwork duplicating = network(new NetworkFaults(0, 1, 1, 1, 0, 1), 3);
        for (int message = 0; message < 50; message++) {
            lossy.send(0, 0, 1, payload(message));
            duplicating.send(0, 0, 1, payload(message));
        }
        assertEquals(0, drain(lossy, 1).size());
        assertEquals(50, lossy.statistics().lost);
        assertEquals(100, drain(duplicating, 1).size());
    }

    @Test
    void aPartitionCutsReplicasOnOppositeSidesButNotClients() {
        SimulatedNetwork network = network(new NetworkFaults(0, 0, 1, 1, 1, 1000), 4);
        network.updatePartitions(0);
        for (int source = 0; source < REPLICAS + 1; source++) {
            for (int destination = 0; destination < REPLICAS + 1; destination++) {
                network.send(0, source, destination, payload(source * 10 + destination));
            }
        }
        List<SimulatedNetwork.InFlight> delivered = drain(network, 1);
        long clientMessages = delivered.stream().filter(m -> m.source() == REPLICAS || m.destination() == REPLICAS).count();
        assertEquals(2 * (REPLICAS + 1) - 1, clientMessages, "clients reach both sides");
        assertEquals(25, delivered.size() + network.statistics().partitioned);
        assertEquals(1, network.statistics().partitions);
        assertTrue(network.statistics().partitioned > 0, "the partition cut some replica-to-replica messages");
    }

    @Test
    void healingEndsThePartitionAndTheLoss() {
        SimulatedNetwork network = network(new NetworkFaults(1, 0, 1, 1, 1, 1000), 5);
        network.updatePartitions(0);
        network.heal(0);
        network.updatePartitions(1);
        for (int destination = 1; destination < REPLICAS; destination++) {
            network.send(1, 0, destination, payload(destination));
        }
        assertEquals(REPLICAS - 1, drain(network, 2).size());
    }

    @Test
    void theSameSeedGivesTheSameDeliveries() {
        NetworkFaults faults = new NetworkFaults(0.3, 0.2, 1, 8, 0.05, 20);
        assertEquals(deliveries(faults, 9), deliveries(faults, 9));
    }

    @Test
    void invalidFaultsAreRejectedWithTheirName() {
        IllegalArgumentException loss = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new NetworkFaults(1.5, 0, 1, 1, 0, 1));
        assertTrue(loss.getMessage().contains("lossProbability"), loss::getMessage);
        IllegalArgumentException delay = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new NetworkFaults(0, 0, 3, 2, 0, 1));
        assertTrue(delay.getMessage().contains("maximumDelayTicks"), delay::getMessage);
    }

    private static List<String> deliveries(NetworkFaults faults, long seed) {
        SimulatedNetwork network = network(faults, seed);
        List<String> delivered = new ArrayList<>();
        for (long tick = 0; tick < 60; tick++) {
            network.updatePartitions(tick);
            for (SimulatedNetwork.InFlight message : network.takeDue(tick)) {
                delivered.add(tick + ":" + message.source() + ">" + message.destination() + ":" + message.payload());
            }
            if (tick < 30) {
                network.send(tick, (int) (tick % REPLICAS), (int) ((tick + 1) % REPLICAS), payload((int) tick));
            }
        }
        return delivered;
    }

    private static List<SimulatedNetwork.InFlight> drain(SimulatedNetwork network, long untilTick) {
        List<SimulatedNetwork.InFlight> delivered = new ArrayList<>();
        for (long tick = 0; tick <= untilTick; tick++) {
            delivered.addAll(network.takeDue(tick));
        }
        return delivered;
    }

    private static SimulatedNetwork network(NetworkFaults faults, long seed) {
        return new SimulatedNetwork(REPLICAS, faults, new SplittableRandom(seed), new Trace(Optional.empty()));
    }

    private static Bytes payload(int value) {
        return Bytes.ofUtf8("message-" + value);
    }
}
