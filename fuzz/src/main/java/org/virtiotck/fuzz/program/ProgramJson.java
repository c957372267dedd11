package org.virtiotck.fuzz.program;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/** JSON form of programs: {@code {"ops": [{"op": "read", "offset": 0, "width": 4}, ...]}}. */
public final class ProgramJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private ProgramJson() {
    }

    public static JsonNode toTree(Program p) {
        return MAPPER.valueToTree(p);
    }

    public static String toJson(Program p) {
        try {
            return MAPPER.writeValueAsString(p);
        } catch (JacksonException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Program fromTree(JsonNode node) {
        try {
            return MAPPER.treeToValue(node, Program.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a fuzz program: " + e.getOriginalMessage(), e);
        }
    }

    public static Program fromJson(String json) {
        try {
            return MAPPER.readValue(json, Program.class);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("not a fuzz program: " + e.getOriginalMessage(), e);
        }
    }
}
