package io.concordat.protocol;

/**
 * The core's tunables. Times are in ticks: the actor shell ticks at a fixed interval and the simulator
 * ticks as it pleases, so the core never reads a clock.
 *
 * @param checkpointInterval K: a checkpoint is taken every K sequence numbers (PBFT §4.3)
 * @param watermarkWindow L: sequence numbers accepted lie in (h, h+L]; a multiple of K, at least 2K so
 *     the primary can keep ordering while a checkpoint becomes stable
 * @param batchMaxRequests the most requests in one batch
 * @param batchMaxBytes the most bytes of signed requests in one batch
 * @param batchDelayTicks how long the primary waits to fill a batch while earlier batches are in flight
 * @param requestMaxBytes the largest operation a client may send
 * @param pendingRequestsMax how many not-yet-ordered requests a replica holds before it refuses more
 * @param statusIntervalTicks how often a replica with unfinished work multicasts its status
 * @param viewChangeTimeoutTicks how long a request may wait to execute before the replica suspects the
 *     primary (PBFT §4.4); doubled for each successive view change without progress
 * @param heartbeatIntervalTicks how often an idle primary multicasts a heartbeat, so that backups notice a
 *     crashed primary without client traffic; must be less than half of viewChangeTimeoutTicks
 */
public record ProtocolConfiguration(
        int checkpointInterval,
        int watermarkWindow,
        int batchMaxRequests,
        int batchMaxBytes,
        int batchDelayTicks,
        int requestMaxBytes,
        int pendingRequestsMax,
        int statusIntervalTicks,
        int viewChangeTimeoutTicks,
        int heartbeatIntervalTicks) {

    public ProtocolConfiguration {
        requirePositive("checkpointInterval", checkpointInterval);
        requirePositive("watermarkWindow", watermarkWindow);
        requirePositive("batchMaxRequests", batchMaxRequests);
        requirePositive("batchMaxBytes", batchMaxBytes);
        requirePositive("requestMaxBytes", requestMaxBytes);
        requirePositive("pendingRequestsMax", pendingRequestsMax);
        requirePositive("statusIntervalTicks", statusIntervalTicks);
        requirePositive("viewChangeTimeoutTicks", viewChangeTimeoutTicks);
        requirePositive("heartbeatIntervalTicks", heartbeatIntervalTicks);
        if (heartbeatIntervalTicks * 2 > viewChangeTimeoutTicks) {
            throw new IllegalArgumentException("heartbeatIntervalTicks (" + heartbeatIntervalTicks
                    + ") must be at most half of viewChangeTimeoutTicks (" + viewChangeTimeoutTicks + ")");
        }
        if (batchDelayTicks < 0) {
            throw new IllegalArgumentException("batchDelayTicks must be >= 0, got " + batchDelayTicks);
        }
        if (watermarkWindow % checkpointInterval != 0 || watermarkWindow < 2 * checkpointInterval) {
            throw new IllegalArgumentException("watermarkWindow (" + watermarkWindow
                    + ") must be a multiple of checkpointInterval (" + checkpointInterval + ") and at least twice it");
        }
    }

    /** Defaults for a service ticking every 10 ms. */
    public static ProtocolConfiguration defaults() {
        return new ProtocolConfiguration(128, 256, 512, 1 << 20, 1, 64 * 1024, 100_000, 50, 200, 50);
    }

    public ProtocolConfiguration withCheckpointInterval(int checkpointInterval, int watermarkWindow) {
        return new ProtocolConfiguration(checkpointInterval, watermarkWindow, batchMaxRequests, batchMaxBytes,
                batchDelayTicks, requestMaxBytes, pendingRequestsMax, statusIntervalTicks, viewChangeTimeoutTicks,
                heartbeatIntervalTicks);
    }

    public ProtocolConfiguration withBatching(int batchMaxRequests, int batchMaxBytes, int batchDelayTicks) {
        return new ProtocolConfiguration(checkpointInterval, watermarkWindow, batchMaxRequests, batchMaxBytes,
                batchDelayTicks, requestMaxBytes, pendingRequestsMax, statusIntervalTicks, viewChangeTimeoutTicks,
                heartbeatIntervalTicks);
    }

    public ProtocolConfiguration withStatusIntervalTicks(int statusIntervalTicks) {
        return new ProtocolConfiguration(checkpointInterval, watermarkWindow, batchMaxRequests, batchMaxBytes,
                batchDelayTicks, requestMaxBytes, pendingRequestsMax, statusIntervalTicks, viewChangeTimeoutTicks,
                heartbeatIntervalTicks);
    }

    public ProtocolConfiguration withViewChangeTimeoutTicks(int viewChangeTimeoutTicks, int heartbeatIntervalTicks) {
        return new ProtocolConfiguration(checkpointInterval, watermarkWindow, batchMaxRequests, batchMaxBytes,
                batchDelayTicks, requestMaxBytes, pendingRequestsMax, statusIntervalTicks, viewChangeTimeoutTicks,
                heartbeatIntervalTicks);
    }

    private static void requirePositive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, got " + value);
        }
    }
}
