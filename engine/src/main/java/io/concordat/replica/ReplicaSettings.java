package io.concordat.replica;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The replica shell's settings, read in one place from {@code concordat.replica} (defaults in the engine's
 * {@code reference.conf}). A missing, mistyped, out-of-range or unknown key fails at start-up with a
 * message that names it.
 *
 * @param tickInterval how often the core's logical clock advances ({@code tick-interval}); the core's
 *     timeouts are counted in ticks
 * @param clientRoutesMax how many clients may wait for replies at once ({@code client-routes-max})
 * @param clientRoutesPerClient how many submissions of one client may wait at once
 *     ({@code client-routes-per-client})
 * @param clientRouteExpiry how long a waiting submission is remembered ({@code client-route-expiry})
 * @param orderedLogRetainedBeyondCheckpoint how many committed entries at or below the last stable
 *     checkpoint the ordered log keeps ({@code ordered-log.retained-beyond-checkpoint})
 * @param askTimeout how long {@link ReplicaNode} waits for the replica actor to answer a status query or
 *     a client submission ({@code ask-timeout})
 * @param persistence where the replica keeps its events and snapshots ({@code persistence.*})
 */
public record ReplicaSettings(
        Duration tickInterval,
        int clientRoutesMax,
        int clientRoutesPerClient,
        Duration clientRouteExpiry,
        int orderedLogRetainedBeyondCheckpoint,
        Duration askTimeout,
        PersistenceSettings persistence) {

    public static final String PATH = "concordat.replica";

    private static final Set<String> KEYS = Set.of("tick-interval", "client-routes-max", "client-routes-per-client",
            "client-route-expiry", "ordered-log.retained-beyond-checkpoint", "ask-timeout");

    public ReplicaSettings {
        requirePositive("tick-interval", tickInterval);
        requirePositive("client-route-expiry", clientRouteExpiry);
        requirePositive("ask-timeout", askTimeout);
        requireAtLeast("client-routes-max", clientRoutesMax, 1);
        requireAtLeast("client-routes-per-client", clientRoutesPerClient, 1);
        requireAtLeast("ordered-log.retained-beyond-checkpoint", orderedLogRetainedBeyondCheckpoint, 0);
        Objects.requireNonNull(persistence, "persistence");
    }

    /** The defaults from {@code reference.conf}. */
    public static ReplicaSettings defaults() {
        return fromConfig(ConfigFactory.defaultReference());
    }

    /** Reads {@code concordat.replica} from {@code config}, which must include the engine's defaults. */
    public static ReplicaSettings fromConfig(Config config) {
        Objects.requireNonNull(config, "config");
        try {
            Config section = config.getConfig(PATH);
            rejectUnknownKeys(section);
            return new ReplicaSettings(
                    section.getDuration("tick-interval"),
                    section.getInt("client-routes-max"),
                    section.getInt("client-routes-per-client"),
                    section.getDuration("client-route-expiry"),
                    section.getInt("ordered-log.retained-beyond-checkpoint"),
                    section.getDuration("ask-timeout"),
                    PersistenceSettings.fromConfig(section.getConfig("persistence")));
        } catch (ConfigException e) {
            throw new IllegalArgumentException("invalid " + PATH + " settings: " + e.getMessage(), e);
        }
    }

    public ReplicaSettings withTickInterval(Duration tickInterval) {
        return new ReplicaSettings(tickInterval, clientRoutesMax, clientRoutesPerClient, clientRouteExpiry,
                orderedLogRetainedBeyondCheckpoint, askTimeout, persistence);
    }

    public ReplicaSettings withOrderedLogRetainedBeyondCheckpoint(int retained) {
        return new ReplicaSettings(tickInterval, clientRoutesMax, clientRoutesPerClient, clientRouteExpiry, retained,
                askTimeout, persistence);
    }

    public ReplicaSettings withPersistence(PersistenceSettings persistence) {
        return new ReplicaSettings(tickInterval, clientRoutesMax, clientRoutesPerClient, clientRouteExpiry,
                orderedLogRetainedBeyondCheckpoint, askTimeout, persistence);
    }

    public ReplicaSettings withAskTimeout(Duration askTimeout) {
        return new ReplicaSettings(tickInterval, clientRoutesMax, clientRoutesPerClient, clientRouteExpiry,
                orderedLogRetainedBeyondCheckpoint, askTimeout, persistence);
    }

    private static void rejectUnknownKeys(Config section) {
        var unknown = new TreeSet<String>();
        section.entrySet().forEach(entry -> {
            if (!KEYS.contains(entry.getKey()) && !PersistenceSettings.KEYS.contains(entry.getKey())) {
                unknown.add(PATH + "." + entry.getKey());
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown settings " + unknown + "; the known keys under " + PATH
                    + " are " + known());
        }
    }

    private static TreeSet<String> known() {
        var known = new TreeSet<>(KEYS);
        known.addAll(PersistenceSettings.KEYS);
        return known;
    }

    private static void requirePositive(String key, Duration value) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(PATH + "." + key + " must be a positive duration, got " + value);
        }
    }

    private static void requireAtLeast(String key, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(PATH + "." + key + " must be at least " + minimum + ", got " + value);
        }
    }
}
