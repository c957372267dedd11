package org.virtiotck.spec;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/** Names for the values of a family of int constants, read from the constants themselves: each name is written once. */
final class ConstantNames {
    private ConstantNames() {
    }

    /**
     * The {@code public static final int} fields of {@code holder} whose names start with {@code prefix}, by value,
     * named without the prefix; {@code synonyms} (field names) are left out so that their value keeps its own name.
     */
    static Map<Integer, String> of(Class<?> holder, String prefix, String... synonyms) {
        Set<String> skip = Set.of(synonyms);
        return of(holder, name -> name.startsWith(prefix) && !skip.contains(name), prefix.length());
    }

    /** The {@code public static final int} fields of {@code holder} whose names {@code keep} accepts, by value. */
    static Map<Integer, String> of(Class<?> holder, Predicate<String> keep) {
        return of(holder, keep, 0);
    }

    private static Map<Integer, String> of(Class<?> holder, Predicate<String> keep, int cut) {
        Map<Integer, String> names = new HashMap<>();
        try {
            for (Field f : holder.getFields()) {
                int m = f.getModifiers();
                if (f.getType() == int.class && Modifier.isStatic(m) && Modifier.isFinal(m)
                        && keep.test(f.getName())) {
                    String before = names.put(f.getInt(null), f.getName().substring(cut));
                    if (before != null) {
                        throw new IllegalStateException(before + " and " + f.getName() + " share a value");
                    }
                }
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("the public constants of " + holder + " cannot be read", e);
        }
        return Map.copyOf(names);
    }
}
