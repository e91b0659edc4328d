package io.concordat.config;

import io.concordat.protocol.ProtocolConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The protocol's tunables as an operator writes them: counts, sizes in bytes and durations. The core counts
 * time in ticks; {@link #toProtocolConfiguration()} converts with {@code tickInterval}.
 *
 * @param checkpointInterval K: a checkpoint every K sequence numbers (PBFT §4.3)
 * @param watermarkWindow L: a multiple of K and at least 2K (PBFT §4.3)
 * @param batchMaxRequests the most requests in one batch
 * @param batchMaxBytes the most bytes of signed requests in one batch
 * @param batchDelay how long the primary waits to fill a batch while earlier batches are in flight; may be 0
 * @param requestMaxBytes the largest operation a client may send; less than batchMaxBytes
 * @param pendingRequestsMax how many not-yet-ordered requests a replica holds before it refuses more
 * @param tickInterval how often the replica actor ticks the core, 1ms..10s
 * @param viewChangeTimeout how long a backup waits for a request to execute before it suspects the primary
 *     (PBFT §4.4); doubles with each successive view change
 * @param statusInterval how often a replica with unfinished work multicasts its status
 */
public record ProtocolSettings(
        int checkpointInterval,
        int watermarkWindow,
        int batchMaxRequests,
        int batchMaxBytes,
        Duration batchDelay,
        int requestMaxBytes,
        int pendingRequestsMax,
        Duration tickInterval,
        Duration viewChangeTimeout,
        Duration statusInterval) {

    public ProtocolSettings {
        Objects.requireNonNull(batchDelay, "batchDelay");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(viewChangeTimeout, "viewChangeTimeout");
        Objects.requireNonNull(statusInterval, "statusInterval");
        List<Problem> problems = DefinitionRules.checkProtocol(new ProtocolDraft(
                OptionalLong.of(checkpointInterval), OptionalLong.of(watermarkWindow),
                OptionalLong.of(batchMaxRequests), OptionalLong.of(batchMaxBytes),
                Optional.of(batchDelay), OptionalLong.of(requestMaxBytes),
                OptionalLong.of(pendingRequestsMax), Optional.of(tickInterval),
                Optional.of(viewChangeTimeout), Optional.of(statusInterval)));
        if (!problems.isEmpty()) {
            throw new ClusterDefinitionException(problems);
        }
    }

    /** The defaults shipped in this module's {@code reference.conf} under {@code concordat.cluster.protocol}. */
    public static ProtocolSettings defaults() {
        return ClusterDefinitionLoader.defaultProtocolSettings();
    }

    /** {@code duration} in ticks, rounded up so that a non-zero duration never becomes zero ticks. */
    public int ticks(Duration duration) {
        return Math.toIntExact(ticks(duration, tickInterval));
    }

    public int batchDelayTicks() {
        return ticks(batchDelay);
    }

    public int viewChangeTimeoutTicks() {
        return ticks(viewChangeTimeout);
    }

    public int statusIntervalTicks() {
        return ticks(statusInterval);
    }

    /** The core's view of these settings, with every duration converted to ticks of {@code tickInterval}. */
    public ProtocolConfiguration toProtocolConfiguration() {
        return new ProtocolConfiguration(checkpointInterval, watermarkWindow, batchMaxRequests, batchMaxBytes,
                batchDelayTicks(), requestMaxBytes, pendingRequestsMax, statusIntervalTicks(), viewChangeTimeoutTicks(),
                heartbeatIntervalTicks());
    }

    /**
     * An idle primary's heartbeat interval: a quarter of the view-change timeout, so that a backup hears
     * several heartbeats before it loses patience, and a crashed idle primary is suspected within one timeout.
     */
    public int heartbeatIntervalTicks() {
        return Math.max(1, viewChangeTimeoutTicks() / 4);
    }

    static long ticks(Duration duration, Duration tickInterval) {
        long whole = duration.dividedBy(tickInterval);
        boolean remainder = duration.compareTo(tickInterval.multipliedBy(whole)) > 0;
        return remainder ? whole + 1 : whole;
    }
}
