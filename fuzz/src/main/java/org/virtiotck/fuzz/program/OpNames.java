package org.virtiotck.fuzz.program;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.HashMap;
import java.util.Map;

/** The short names of the ops, read once from the {@link JsonSubTypes} table of {@link Op}: one list, two uses. */
final class OpNames {
    private static final Map<Class<?>, String> NAMES = new HashMap<>();

    static {
        for (JsonSubTypes.Type t : Op.class.getAnnotation(JsonSubTypes.class).value()) {
            NAMES.put(t.value(), t.name());
        }
    }

    private OpNames() {
    }

    static String of(Op op) {
        return NAMES.get(op.getClass());
    }
}
