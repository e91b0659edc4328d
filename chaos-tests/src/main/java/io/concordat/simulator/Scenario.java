package io.concordat.simulator;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a run is about beyond its seed. The default scenario draws everything from the seed; a focused
 * scenario fixes f and puts f replicas under one Byzantine behaviour. A replay needs the seed and the
 * scenario, and {@link #replayProperties()} spells the scenario out for the command line.
 *
 * @param faultsTolerated f, or empty to draw it from the seed
 * @param byzantineBehavior if present: exactly f Byzantine backups, all with this behaviour, no crashes
 */
public record Scenario(OptionalInt faultsTolerated, Optional<ByzantineBehaviorKind> byzantineBehavior) {
    public static final String FAULTS_TOLERATED_PROPERTY = "simulation.faultsTolerated";
    public static final String BYZANTINE_PROPERTY = "simulation.byzantine";

    public Scenario {
        if (faultsTolerated.isPresent() && (faultsTolerated.getAsInt() < 1 || faultsTolerated.getAsInt() > 2)) {
            throw new IllegalArgumentException("the simulator runs f = 1 or f = 2, got " + faultsTolerated.getAsInt());
        }
        if (byzantineBehavior.isPresent() && faultsTolerated.isEmpty()) {
            throw new IllegalArgumentException("a Byzantine scenario needs f: set " + FAULTS_TOLERATED_PROPERTY + " too");
        }
    }

    public static Scenario random() {
        return new Scenario(OptionalInt.empty(), Optional.empty());
    }

    public static Scenario withFaultsTolerated(int faultsTolerated) {
        return new Scenario(OptionalInt.of(faultsTolerated), Optional.empty());
    }

    public static Scenario byzantine(ByzantineBehaviorKind behavior, int faultsTolerated) {
        return new Scenario(OptionalInt.of(faultsTolerated), Optional.of(behavior));
    }

    /** Reads {@value #FAULTS_TOLERATED_PROPERTY} and {@value #BYZANTINE_PROPERTY}, as a replay command sets them. */
    public static Scenario fromSystemProperties() {
        return parse(System.getProperty(FAULTS_TOLERATED_PROPERTY, ""), System.getProperty(BYZANTINE_PROPERTY, ""));
    }

    /**
     * The scenario named by the two property values; blank means "draw from the seed".
     *
     * @throws IllegalArgumentException naming the property, if a value is not understood
     */
    public static Scenario parse(String faultsText, String byzantineText) {
        String faults = faultsText.trim();
        String byzantine = byzantineText.trim();
        OptionalInt faultsTolerated = faults.isEmpty() ? OptionalInt.empty() : OptionalInt.of(parseFaults(faults));
        Optional<ByzantineBehaviorKind> behavior = byzantine.isEmpty() ? Optional.empty()
                : Optional.of(parseBehavior(byzantine));
        return new Scenario(faultsTolerated, behavior);
    }

    /** The {@code -D} options that select this scenario, each with a leading space; empty for the default. */
    public String replayProperties() {
        StringBuilder properties = new StringBuilder();
        faultsTolerated.ifPresent(f -> properties.append(" -D").append(FAULTS_TOLERATED_PROPERTY).append('=').append(f));
        byzantineBehavior.ifPresent(kind -> properties.append(" -D").append(BYZANTINE_PROPERTY).append('=').append(kind));
        return properties.toString();
    }

    private static int parseFaults(String text) {
        try {
            int faults = Integer.parseInt(text);
            if (faults == 1 || faults == 2) {
                return faults;
            }
        } catch (NumberFormatException e) {
            // reported below, with the property's name
        }
        throw new IllegalArgumentException(FAULTS_TOLERATED_PROPERTY + " must be 1 or 2, got '" + text + "'");
    }

    private static ByzantineBehaviorKind parseBehavior(String text) {
        try {
            return ByzantineBehaviorKind.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(BYZANTINE_PROPERTY + " must be one of "
                    + Arrays.toString(ByzantineBehaviorKind.values()) + ", got '" + text + "'", e);
        }
    }
}
