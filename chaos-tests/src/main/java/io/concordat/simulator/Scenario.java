package io.concordat.simulator;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a run is about beyond its seed. The default scenario draws everything from the seed; a focused
 * scenario fixes f and uses the whole fault budget one way: f Byzantine backups with one behaviour, or f
 * replicas crashing in one mode. Any scenario may also fix the signature scheme. A replay needs the seed and
 * the scenario, and {@link #replayProperties()} spells the scenario out for the command line.
 *
 * @param faultsTolerated f, or empty to draw it from the seed
 * @param byzantineBehavior if present: exactly f Byzantine backups, all with this behaviour, no crashes
 * @param crashMode if present: exactly f replicas crash in this mode, none is Byzantine
 * @param signatureScheme the scheme every node signs with, or empty to draw it from the seed
 *     ({@link SignatureScheme#drawnFor(long)}: real Ed25519 on one seed in ten)
 */
public record Scenario(OptionalInt faultsTolerated, Optional<ByzantineBehaviorKind> byzantineBehavior,
        Optional<CrashMode> crashMode, Optional<SignatureScheme> signatureScheme) {
    public static final String FAULTS_TOLERATED_PROPERTY = "simulation.faultsTolerated";
    public static final String BYZANTINE_PROPERTY = "simulation.byzantine";
    public static final String CRASHES_PROPERTY = "simulation.crashes";
    public static final String SIGNATURES_PROPERTY = "simulation.signatures";

    public Scenario {
        if (faultsTolerated.isPresent() && (faultsTolerated.getAsInt() < 1 || faultsTolerated.getAsInt() > 2)) {
            throw new IllegalArgumentException("the simulator runs f = 1 or f = 2, got " + faultsTolerated.getAsInt());
        }
        if ((byzantineBehavior.isPresent() || crashMode.isPresent()) && faultsTolerated.isEmpty()) {
            throw new IllegalArgumentException("a focused scenario needs f: set " + FAULTS_TOLERATED_PROPERTY + " too");
        }
        if (byzantineBehavior.isPresent() && crashMode.isPresent()) {
            throw new IllegalArgumentException(BYZANTINE_PROPERTY + " and " + CRASHES_PROPERTY
                    + " each use the whole fault budget f; set one of them");
        }
    }

    /** Everything drawn from the seed, the signature scheme included. */
    public static Scenario random() {
        return new Scenario(OptionalInt.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** f Byzantine replicas with {@code behavior}; the signature scheme is drawn from the seed. */
    public static Scenario byzantine(ByzantineBehaviorKind behavior, int faultsTolerated) {
        return new Scenario(OptionalInt.of(faultsTolerated), Optional.of(behavior), Optional.empty(), Optional.empty());
    }

    /** f replicas crashing in {@code mode}; the signature scheme is drawn from the seed. */
    public static Scenario crashes(CrashMode mode, int faultsTolerated) {
        return new Scenario(OptionalInt.of(faultsTolerated), Optional.empty(), Optional.of(mode), Optional.empty());
    }

    /** The same scenario with every node signing with {@code scheme}, whatever the seed. */
    public Scenario withSignatures(SignatureScheme scheme) {
        return new Scenario(faultsTolerated, byzantineBehavior, crashMode, Optional.of(scheme));
    }

    /** Reads the scenario's system properties, as a replay command sets them. */
    public static Scenario fromSystemProperties() {
        return parse(System.getProperty(FAULTS_TOLERATED_PROPERTY, ""), System.getProperty(BYZANTINE_PROPERTY, ""),
                System.getProperty(CRASHES_PROPERTY, ""), System.getProperty(SIGNATURES_PROPERTY, ""));
    }

    /** {@link #parse(String, String, String, String)} with the signature scheme drawn from the seed. */
    public static Scenario parse(String faultsText, String byzantineText, String crashesText) {
        return parse(faultsText, byzantineText, crashesText, "");
    }

    /**
     * The scenario named by the property values; blank means "draw from the seed".
     *
     * @throws IllegalArgumentException naming the property, if a value is not understood
     */
    public static Scenario parse(String faultsText, String byzantineText, String crashesText, String signaturesText) {
        String faults = faultsText.trim();
        OptionalInt faultsTolerated = faults.isEmpty() ? OptionalInt.empty() : OptionalInt.of(parseFaults(faults));
        return new Scenario(faultsTolerated, parseEnum(BYZANTINE_PROPERTY, byzantineText, ByzantineBehaviorKind.class),
                parseEnum(CRASHES_PROPERTY, crashesText, CrashMode.class),
                parseEnum(SIGNATURES_PROPERTY, signaturesText, SignatureScheme.class));
    }

    /** The {@code -D} options that select this scenario, each with a leading space; empty for the default. */
    public String replayProperties() {
        StringBuilder properties = new StringBuilder();
        faultsTolerated.ifPresent(f -> properties.append(" -D").append(FAULTS_TOLERATED_PROPERTY).append('=').append(f));
        byzantineBehavior.ifPresent(kind -> properties.append(" -D").append(BYZANTINE_PROPERTY).append('=').append(kind));
        crashMode.ifPresent(mode -> properties.append(" -D").append(CRASHES_PROPERTY).append('=').append(mode));
        signatureScheme.ifPresent(scheme -> properties.append(" -D").append(SIGNATURES_PROPERTY).append('=').append(scheme));
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

    private static <E extends Enum<E>> Optional<E> parseEnum(String property, String text, Class<E> type) {
        String value = text.trim();
        if (value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Enum.valueOf(type, value));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(property + " must be one of " + Arrays.toString(type.getEnumConstants())
                    + ", got '" + text + "'", e);
        }
    }
}
