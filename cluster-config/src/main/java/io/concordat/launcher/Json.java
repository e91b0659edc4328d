package io.concordat.launcher;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes JSON from plain Java values: {@code Map<String, ?>} (in its iteration order, so use a
 * {@link java.util.LinkedHashMap} for a stable layout), {@code List<?>}, {@code String}, {@code Number},
 * {@code Boolean} and {@code Optional} (empty becomes {@code null}). The status endpoint and
 * {@code cluster.json} use it; both are small, so a JSON library would be a dependency for nothing.
 * Reading goes through Typesafe Config's JSON parser, which the engine already depends on.
 */
public final class Json {
    private static final String INDENT = "  ";

    private Json() {}

    /** One line, no spaces. */
    public static String compact(Object value) {
        var out = new StringBuilder();
        write(out, value, false, 0);
        return out.toString();
    }

    /** Indented by two spaces, ending with a newline, for files people read. */
    public static String pretty(Object value) {
        var out = new StringBuilder();
        write(out, value, true, 0);
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, boolean pretty, int depth) {
        if (value instanceof Optional<?> optional) {
            write(out, optional.orElse(null), pretty, depth);
        } else if (value == null) {
            out.append("null");
        } else if (value instanceof String text) {
            quote(out, text);
        } else if (value instanceof Double || value instanceof Float) {
            double number = ((Number) value).doubleValue();
            if (Double.isNaN(number) || Double.isInfinite(number)) {
                throw new IllegalArgumentException("JSON has no " + number);
            }
            out.append(number);
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            writeObject(out, map, pretty, depth);
        } else if (value instanceof List<?> list) {
            writeArray(out, list, pretty, depth);
        } else {
            throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " as JSON");
        }
    }

    private static void writeObject(StringBuilder out, Map<?, ?> map, boolean pretty, int depth) {
        out.append('{');
        Iterator<? extends Map.Entry<?, ?>> entries = map.entrySet().iterator();
        while (entries.hasNext()) {
            Map.Entry<?, ?> entry = entries.next();
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException("JSON object keys are strings, got " + entry.getKey());
            }
            newline(out, pretty, depth + 1);
            quote(out, key);
            out.append(pretty ? ": " : ":");
            write(out, entry.getValue(), pretty, depth + 1);
            if (entries.hasNext()) {
                out.append(',');
            }
        }
        if (!map.isEmpty()) {
            newline(out, pretty, depth);
        }
        out.append('}');
    }

    private static void writeArray(StringBuilder out, List<?> list, boolean pretty, int depth) {
        out.append('[');
        for (int index = 0; index < list.size(); index++) {
            newline(out, pretty, depth + 1);
            write(out, list.get(index), pretty, depth + 1);
            if (index < list.size() - 1) {
                out.append(',');
            }
        }
        if (!list.isEmpty()) {
            newline(out, pretty, depth);
        }
        out.append(']');
    }

    private static void newline(StringBuilder out, boolean pretty, int depth) {
        if (!pretty) {
            return;
        }
        out.append('\n');
        out.append(INDENT.repeat(depth));
    }

    private static void quote(StringBuilder out, String text) {
        out.append('"');
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            switch (character) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    if (character < 0x20 || character == 0x7f) {
                        out.append(String.format("\\u%04x", (int) character));
                    } else {
                        out.append(character);
                    }
            }
        }
        out.append('"');
    }
}
