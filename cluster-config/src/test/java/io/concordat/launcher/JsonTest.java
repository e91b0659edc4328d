package io.concordat.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JsonTest {
    private static Config parse(String json) {
        return ConfigFactory.parseString(json, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON));
    }

    @Test
    void writesNestedValuesInOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("b", 2);
        inner.put("a", List.of(1, "x", true));
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("z", inner);
        root.put("none", Optional.empty());
        root.put("some", Optional.of(5L));
        root.put("empty", List.of());
        root.put("half", 0.5);

        assertEquals("{\"z\":{\"b\":2,\"a\":[1,\"x\",true]},\"none\":null,\"some\":5,\"empty\":[],\"half\":0.5}",
                Json.compact(root));
        assertEquals("{\n  \"z\": {\n    \"b\": 2,\n    \"a\": [\n      1,\n      \"x\",\n      true\n    ]\n  },\n"
                + "  \"none\": null,\n  \"some\": 5,\n  \"empty\": [],\n  \"half\": 0.5\n}\n", Json.pretty(root));
    }

    @Test
    void escapesEveryStringSoThatItParsesBack() {
        String nasty = "quote \" backslash \\ newline \n tab \t bell \u0007 delete \u007f unicode é ✓";

        String json = Json.compact(Map.of("text", nasty));

        assertEquals(nasty, parse(json).getString("text"));
    }

    @Test
    void refusesWhatJsonCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> Json.compact(Map.of("x", Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> Json.compact(Map.of("x", new Object())));
        assertThrows(IllegalArgumentException.class, () -> Json.compact(Map.of(1, "x")));
    }
}
