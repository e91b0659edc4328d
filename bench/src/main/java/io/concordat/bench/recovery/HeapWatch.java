package io.concordat.bench.recovery;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.NotificationEmitter;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * The heap a recovery needs, watched from the JVM's own beans:
 *
 * <ul>
 *   <li>{@code heapAfterGcMaxMegabytes}: the most heap still in use right after any collection up to the
 *       first answer, a close estimate of the peak of live data, so of the smallest heap that works;
 *   <li>{@code heapPoolPeaksMegabytes}: the sum of the heap pools' peak use (an upper bound: the pools peak
 *       at different times) and {@code heapCommittedMegabytes}, what the JVM had taken at the first answer;
 *   <li>{@code liveHeapMegabytes}: live after a full collection once the replica's first step after recovery
 *       is done, what the serving replica keeps;
 *   <li>{@code gcCount} and {@code gcSeconds} up to the first answer.
 * </ul>
 */
final class HeapWatch {
    private final AtomicLong heapAfterGcMaxBytes = new AtomicLong();
    private double heapAfterGcMaxMegabytes;
    private double heapPoolPeaksMegabytes;
    private double heapCommittedMegabytes;
    private double heapMaxMegabytes;
    private long gcCount;
    private double gcSeconds;
    private double liveHeapMegabytes;
    private String histogram = "";

    private HeapWatch() {}

    static HeapWatch start() {
        var watch = new HeapWatch();
        Set<String> heapPools = new HashSet<>();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPools.add(pool.getName());
            }
        }
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (!notification.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                    return;
                }
                var info = GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
                long used = 0;
                for (var pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (heapPools.contains(pool.getKey())) {
                        used += pool.getValue().getUsed();
                    }
                }
                watch.heapAfterGcMaxBytes.accumulateAndGet(used, Math::max);
            }, null, null);
        }
        return watch;
    }

    /** At the first answer: the peaks so far and the collections so far. */
    void atServing() {
        heapAfterGcMaxMegabytes = heapAfterGcMaxBytes.get() / 1e6;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, collector.getCollectionCount());
            gcSeconds += Math.max(0, collector.getCollectionTime()) / 1e3;
        }
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                heapPoolPeaksMegabytes += pool.getPeakUsage().getUsed() / 1e6;
            }
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        heapCommittedMegabytes = heap.getCommitted() / 1e6;
        heapMaxMegabytes = heap.getMax() / 1e6;
    }

    /** Once the replica has settled: a full collection (through the class histogram) and what stays. */
    void settled() {
        histogram = liveHistogram(12);
        liveHeapMegabytes = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6;
    }

    /** The largest classes of the live heap at {@link #settled()}. */
    String histogram() {
        return histogram;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "heapAfterGcMaxMegabytes=%.0f heapPoolPeaksMegabytes=%.0f "
                        + "heapCommittedMegabytes=%.0f heapMaxMegabytes=%.0f liveHeapMegabytes=%.0f gcCount=%d gcSeconds=%.3f",
                heapAfterGcMaxMegabytes, heapPoolPeaksMegabytes, heapCommittedMegabytes, heapMaxMegabytes,
                liveHeapMegabytes, gcCount, gcSeconds);
    }

    /** The JVM's class histogram of live objects (it runs a full GC first), its first {@code rows} classes. */
    private static String liveHistogram(int rows) {
        try {
            Object histogram = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            return String.join("\n", histogram.toString().lines().limit(rows + 2L).toList());
        } catch (JMException unavailable) {
            System.gc();
            return "(no class histogram: " + unavailable + ")";
        }
    }
}
