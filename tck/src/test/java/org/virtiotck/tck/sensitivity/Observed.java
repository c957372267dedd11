package org.virtiotck.tck.sensitivity;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What each case of a sensitivity test observed, printed as one table when the test class is done: a record for
 * the reader of the build log, never an assertion.
 */
final class Observed {
    private final String title;
    private final int width;
    private final Map<String, String> rows = new LinkedHashMap<>();

    /** {@code title}: the table's heading line; {@code width}: the width of the first column. */
    Observed(String title, int width) {
        this.title = title;
        this.width = width;
    }

    void put(String key, String what) {
        rows.put(key, what);
    }

    /** Prints the table, if any case put a row. */
    void print() {
        if (!rows.isEmpty()) {
            StringBuilder b = new StringBuilder(title).append('\n');
            rows.forEach((k, s) -> b.append(String.format("  %-" + width + "s %s%n", k, s)));
            System.out.print(b);
        }
    }
}
