package io.concordat.config;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.concordat.crypto.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads typed values out of parsed HOCON and, instead of throwing at the first mistake, records a
 * {@link Problem} naming the key path and returns empty, so one pass reports every mistake.
 */
final class ConfigReader {
    private static final int SUGGESTION_DISTANCE_MAX = 3;

    private final List<Problem> problems = new ArrayList<>();

    List<Problem> problems() {
        return List.copyOf(problems);
    }

    void report(String path, String message) {
        problems.add(new Problem(path, message));
    }

    /** Every key not in {@code allowed} is a problem: a typo must fail, not silently fall back to a default. */
    void rejectUnknownKeys(ConfigObject object, String path, List<String> allowed) {
        for (String key : object.keySet()) {
            if (allowed.contains(key)) {
                continue;
            }
            Optional<String> suggestion = closest(key, allowed);
            report(Keys.child(path, key), suggestion
                    .map(candidate -> "unknown key; did you mean " + candidate + "?")
                    .orElse("unknown key; the keys allowed here are " + String.join(", ", allowed)));
        }
    }

    Optional<ConfigValue> value(ConfigObject object, String path, String key, boolean required) {
        ConfigValue value = object.get(key);
        if (value == null) {
            if (required) {
                report(Keys.child(path, key), "missing (required)");
            }
            return Optional.empty();
        }
        return Optional.of(value);
    }

    Optional<ConfigObject> object(ConfigObject parent, String path, String key, boolean required) {
        return value(parent, path, key, required).flatMap(value -> object(value, Keys.child(path, key)));
    }

    Optional<ConfigObject> object(ConfigValue value, String path) {
        if (value.valueType() != ConfigValueType.OBJECT) {
            reportType(path, "an object { ... }", value);
            return Optional.empty();
        }
        return Optional.of((ConfigObject) value);
    }

    Optional<List<ConfigValue>> list(ConfigObject parent, String path, String key, boolean required) {
        return value(parent, path, key, required).flatMap(value -> {
            if (value.valueType() != ConfigValueType.LIST) {
                reportType(Keys.child(path, key), "a list [ ... ]", value);
                return Optional.empty();
            }
            return Optional.of(List.copyOf((ConfigList) value));
        });
    }

    Optional<String> string(ConfigObject parent, String path, String key, boolean required) {
        return value(parent, path, key, required).flatMap(value -> string(value, Keys.child(path, key)));
    }

    Optional<String> string(ConfigValue value, String path) {
        if (value.valueType() != ConfigValueType.STRING) {
            reportType(path, "a string", value);
            return Optional.empty();
        }
        return Optional.of((String) value.unwrapped());
    }

    OptionalLong wholeNumber(ConfigObject parent, String path, String key, boolean required) {
        Optional<ConfigValue> found = value(parent, path, key, required);
        if (found.isEmpty()) {
            return OptionalLong.empty();
        }
        return wholeNumber(found.get(), Keys.child(path, key));
    }

    private OptionalLong wholeNumber(ConfigValue value, String path) {
        Object unwrapped = value.unwrapped();
        if (value.valueType() == ConfigValueType.NUMBER && (unwrapped instanceof Integer || unwrapped instanceof Long)) {
            return OptionalLong.of(((Number) unwrapped).longValue());
        }
        reportType(path, "a whole number", value);
        return OptionalLong.empty();
    }

    /** A duration must carry its unit: a bare number would silently mean milliseconds. */
    Optional<Duration> duration(ConfigObject parent, String path, String key, boolean required) {
        Optional<ConfigValue> found = value(parent, path, key, required);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String fullPath = Keys.child(path, key);
        ConfigValue value = found.get();
        if (value.valueType() == ConfigValueType.NUMBER) {
            report(fullPath, "a duration needs a unit, such as 10ms or 2s; got the bare number " + render(value));
            return Optional.empty();
        }
        if (value.valueType() != ConfigValueType.STRING) {
            reportType(fullPath, "a duration such as 10ms or 2s", value);
            return Optional.empty();
        }
        try {
            return Optional.of(value.atKey(key).getDuration(key));
        } catch (ConfigException e) {
            report(fullPath, render(value) + " is not a duration: write a number and a unit (ns, us, ms, s, m, h,"
                    + " d), such as 10ms or 2s");
            return Optional.empty();
        }
    }

    /** A size in bytes: a whole number of bytes, or a number and a unit such as 64KiB or 1MiB. */
    OptionalLong bytes(ConfigObject parent, String path, String key, boolean required) {
        Optional<ConfigValue> found = value(parent, path, key, required);
        if (found.isEmpty()) {
            return OptionalLong.empty();
        }
        String fullPath = Keys.child(path, key);
        ConfigValue value = found.get();
        if (value.valueType() == ConfigValueType.NUMBER) {
            return wholeNumber(value, fullPath);
        }
        if (value.valueType() != ConfigValueType.STRING) {
            reportType(fullPath, "a size such as 65536, 64KiB or 1MiB", value);
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(value.atKey(key).getBytes(key));
        } catch (ConfigException e) {
            report(fullPath, render(value) + " is not a size: write a number of bytes, or a number and a unit"
                    + " such as 64KiB or 1MiB");
            return OptionalLong.empty();
        }
    }

    Optional<PublicKey> publicKey(ConfigObject parent, String path, String key, boolean required) {
        return value(parent, path, key, required).flatMap(value -> publicKey(value, Keys.child(path, key)));
    }

    Optional<PublicKey> publicKey(ConfigValue value, String path) {
        Optional<String> text = string(value, path);
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyText.parsePublicKey(text.get()));
        } catch (IllegalArgumentException e) {
            report(path, e.getMessage());
            return Optional.empty();
        }
    }

    private void reportType(String path, String expected, ConfigValue value) {
        report(path, "expected " + expected + ", got " + describe(value));
    }

    private static String describe(ConfigValue value) {
        switch (value.valueType()) {
            case OBJECT:
                return "an object";
            case LIST:
                return "a list";
            case NULL:
                return "null";
            case NUMBER:
                return "the number " + render(value);
            case BOOLEAN:
                return "the boolean " + render(value);
            default:
                return "the string " + render(value);
        }
    }

    private static String render(ConfigValue value) {
        return value.render(ConfigRenderOptions.concise());
    }

    private static Optional<String> closest(String key, List<String> candidates) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(key, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return bestDistance <= SUGGESTION_DISTANCE_MAX ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance; keys are short, so the quadratic table is fine. */
    static int editDistance(String left, String right) {
        int[] previous = new int[right.length() + 1];
        int[] current = new int[right.length() + 1];
        for (int column = 0; column <= right.length(); column++) {
            previous[column] = column;
        }
        for (int row = 1; row <= left.length(); row++) {
            current[0] = row;
            for (int column = 1; column <= right.length(); column++) {
                int substitution = previous[column - 1] + (left.charAt(row - 1) == right.charAt(column - 1) ? 0 : 1);
                current[column] = Math.min(substitution, Math.min(previous[column] + 1, current[column - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[right.length()];
    }
}
