package io.concordat.simulator;

import io.concordat.protocol.ProtocolConfiguration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Everything one run does, drawn from its seed. Faults stay within PBFT's budget: Byzantine plus crashed
 * replicas number at most f. Any replica may crash, the first primary included (the view change replaces
 * it). In the default sweep Byzantine replicas start as backups (and may become primary after a view
 * change); a focused scenario with a Byzantine-primary behaviour places it where its
 * {@link ByzantineBehaviorKind.Placement} says, replica 0 (the primary of view 0) included.
 *
 * @param crashes replica id to how it crashes (and whether it restarts)
 * @param compactJournals whether each replica's journal is replaced by its compacted history at every
 *     stable checkpoint, as the actor shell does with snapshots
 * @param byzantineReplicas replica id to its behaviour
 * @param safetyPhaseTicks how long the network misbehaves and crashes may happen
 * @param livenessPhaseTicksMax how long, after the faults heal, every client operation has to complete
 * @param clientThinkTicksMax the longest a client waits between one result and its next request
 * @param firstPrimaryIsolationTicks if positive, replica 0 is cut off from the other replicas until this
 *     tick (a network fault that outlasts the heal), which forces a view change
 * @param signatureScheme how every node signs and verifies: the scenario's scheme, or the seed's
 *     ({@link SignatureScheme#drawnFor(long)}), which draws nothing from the seed's random stream, so the
 *     other parameters of a seed do not depend on it
 */
public record SimulationParameters(
        long seed,
        Scenario scenario,
        int faultsTolerated,
        int clientCount,
        int operationsPerClient,
        int keyCount,
        long safetyPhaseTicks,
        long livenessPhaseTicksMax,
        int clientRetransmitTicks,
        int clientThinkTicksMax,
        NetworkFaults networkFaults,
        SortedMap<Integer, CrashPlan> crashes,
        boolean compactJournals,
        SortedMap<Integer, ByzantineBehaviorKind> byzantineReplicas,
        ProtocolConfiguration protocolConfiguration,
        long firstPrimaryIsolationTicks,
        SignatureScheme signatureScheme) {

    public SimulationParameters {
        Objects.requireNonNull(signatureScheme, "signatureScheme");
        crashes = Collections.unmodifiableSortedMap(new TreeMap<>(crashes));
        byzantineReplicas = Collections.unmodifiableSortedMap(new TreeMap<>(byzantineReplicas));
        if (crashes.size() + byzantineReplicas.size() > faultsTolerated) {
            throw new IllegalArgumentException("more faulty replicas than f = " + faultsTolerated);
        }
        ByzantineBehaviorKind firstPrimary = byzantineReplicas.get(0);
        if (firstPrimary != null && firstPrimary.placement() != ByzantineBehaviorKind.Placement.FIRST_PRIMARY) {
            throw new IllegalArgumentException(
                    "the primary of view 0 may be Byzantine only with a primary behaviour, got " + firstPrimary);
        }
    }

    public int replicaCount() {
        return 3 * faultsTolerated + 1;
    }

    /** Draws a run from {@code seed}, constrained by {@code scenario}. */
    public static SimulationParameters generate(long seed, Scenario scenario) {
        SplittableRandom random = new SplittableRandom(seed);
        int f = scenario.faultsTolerated().orElse(1 + random.nextInt(2));
        int n = 3 * f + 1;
        List<Integer> backups = shuffledBackups(n, random);
        long safetyPhaseTicks = 100 + random.nextInt(300);
        int operationsPerClient = 2 + random.nextInt(4);
        SortedMap<Integer, ByzantineBehaviorKind> byzantine = new TreeMap<>();
        SortedMap<Integer, CrashPlan> crashes = new TreeMap<>();
        boolean compactJournals = random.nextBoolean();
        if (scenario.byzantineBehavior().isPresent()) {
            ByzantineBehaviorKind kind = scenario.byzantineBehavior().get();
            for (int replica : placed(kind.placement(), f, backups)) {
                byzantine.put(replica, kind);
            }
        } else if (scenario.crashMode().isPresent()) {
            CrashMode mode = scenario.crashMode().get();
            compactJournals = mode == CrashMode.RESTART || (mode == CrashMode.STOP && compactJournals);
            List<Integer> candidates = new ArrayList<>(backups);
            candidates.add(0);
            for (int index = 0; index < f; index++) {
                CrashPlan plan = CrashPlan.random(safetyPhaseTicks, random);
                crashes.put(candidates.remove(random.nextInt(candidates.size())), mode == CrashMode.STOP
                        ? new CrashPlan(plan.crashTick(), plan.afterPersistBeforeSend(), OptionalLong.empty())
                        : new CrashPlan(plan.crashTick(), plan.afterPersistBeforeSend(),
                                OptionalLong.of(plan.crashTick() + 10 + random.nextInt(290))));
            }
        } else {
            int byzantineCount = random.nextInt(f + 1);
            int crashCount = random.nextInt(f - byzantineCount + 1);
            ByzantineBehaviorKind[] kinds = ByzantineBehaviorKind.values();
            for (int index = 0; index < byzantineCount; index++) {
                byzantine.put(backups.get(index), kinds[random.nextInt(kinds.length)]);
            }
            List<Integer> crashCandidates = new ArrayList<>(backups.subList(byzantineCount, backups.size()));
            crashCandidates.add(0);
            for (int index = 0; index < crashCount; index++) {
                int candidate = crashCandidates.remove(random.nextInt(crashCandidates.size()));
                crashes.put(candidate, CrashPlan.random(safetyPhaseTicks, random));
            }
        }
        ProtocolConfiguration configuration = protocolConfiguration(random);
        boolean isolateFirstPrimary = scenario.byzantineBehavior().map(ByzantineBehaviorKind::placement)
                .filter(placement -> placement == ByzantineBehaviorKind.Placement.NEXT_PRIMARY
                        || placement == ByzantineBehaviorKind.Placement.BACKUPS_AFTER_VIEW_CHANGE).isPresent();
        return new SimulationParameters(seed, scenario, f,
                2 + random.nextInt(3),
                operationsPerClient,
                2 + random.nextInt(3),
                safetyPhaseTicks,
                4_000,
                20 + random.nextInt(60),
                // think times average safetyPhaseTicks / operationsPerClient, so operations overlap the faults
                (int) (2 * safetyPhaseTicks / operationsPerClient),
                NetworkFaults.random(random),
                crashes,
                compactJournals,
                byzantine,
                configuration,
                isolateFirstPrimary ? 2L * configuration.viewChangeTimeoutTicks() : 0,
                scenario.signatureScheme().orElseGet(() -> SignatureScheme.drawnFor(seed)));
    }

    /**
     * The f replicas a focused scenario makes Byzantine: the first f shuffled backups, or replica 0 (the
     * primary of view 0) and f-1 of them, or replica 1 (the primary of view 1) and f-1 others but not 0.
     */
    private static List<Integer> placed(ByzantineBehaviorKind.Placement placement, int f, List<Integer> backups) {
        List<Integer> chosen = new ArrayList<>();
        if (placement == ByzantineBehaviorKind.Placement.FIRST_PRIMARY) {
            chosen.add(0);
        } else if (placement == ByzantineBehaviorKind.Placement.NEXT_PRIMARY) {
            chosen.add(1);
        }
        for (int index = 0; chosen.size() < f; index++) {
            if (!chosen.contains(backups.get(index))) {
                chosen.add(backups.get(index));
            }
        }
        return chosen;
    }

    /**
     * The same run on a network that only delays (by 1 to {@code maximumDelayTicks}), with clients that
     * never think and {@code operationsPerClient} operations each: a saturating load, for measuring
     * throughput. With {@code withoutByzantine} every replica is correct.
     */
    SimulationParameters forThroughput(int operations, int maximumDelayTicks, boolean withoutByzantine) {
        return new SimulationParameters(seed, scenario, faultsTolerated, clientCount, operations, keyCount,
                safetyPhaseTicks, 100_000, clientRetransmitTicks, 0,
                new NetworkFaults(0, 0, 1, maximumDelayTicks, 0, 1), new TreeMap<>(), compactJournals,
                withoutByzantine ? new TreeMap<>() : byzantineReplicas, protocolConfiguration,
                firstPrimaryIsolationTicks, signatureScheme);
    }

    private static ProtocolConfiguration protocolConfiguration(SplittableRandom random) {
        int checkpointInterval = 1 << (1 + random.nextInt(3));
        int watermarkWindow = checkpointInterval * (2 + random.nextInt(3));
        int viewChangeTimeoutTicks = 50 + random.nextInt(250);
        return ProtocolConfiguration.defaults()
                .withCheckpointInterval(checkpointInterval, watermarkWindow)
                .withBatching(1 + random.nextInt(4), 1 << 20, random.nextInt(4))
                .withStatusIntervalTicks(5 + random.nextInt(26))
                .withViewChangeTimeoutTicks(viewChangeTimeoutTicks, viewChangeTimeoutTicks / (2 + random.nextInt(3)));
    }

    /** Replicas 1..n-1 in a random order (Fisher-Yates over the seed's stream). */
    private static List<Integer> shuffledBackups(int replicaCount, SplittableRandom random) {
        List<Integer> backups = new ArrayList<>();
        for (int replica = 1; replica < replicaCount; replica++) {
            backups.add(replica);
        }
        for (int index = backups.size() - 1; index > 0; index--) {
            Collections.swap(backups, index, random.nextInt(index + 1));
        }
        return backups;
    }

    /** One line for logs and failure reports. */
    public String describe() {
        return "seed " + seed + ": f=" + faultsTolerated + " n=" + replicaCount() + ", " + clientCount + " clients x "
                + operationsPerClient + " operations on " + keyCount + " keys, safety phase " + safetyPhaseTicks
                + " ticks, byzantine " + byzantineReplicas + ", crashes " + crashes
                + (compactJournals ? ", journals compacted" : "") + ", " + networkFaults
                + ", checkpoint interval " + protocolConfiguration.checkpointInterval() + ", watermark window "
                + protocolConfiguration.watermarkWindow() + ", batch max " + protocolConfiguration.batchMaxRequests()
                + " delay " + protocolConfiguration.batchDelayTicks() + ", status interval "
                + protocolConfiguration.statusIntervalTicks() + ", view change timeout "
                + protocolConfiguration.viewChangeTimeoutTicks() + " heartbeat "
                + protocolConfiguration.heartbeatIntervalTicks() + ", client retransmit " + clientRetransmitTicks
                + ", signatures " + signatureScheme
                + (firstPrimaryIsolationTicks > 0 ? ", replica 0 cut off until tick " + firstPrimaryIsolationTicks
                        : "");
    }
}
