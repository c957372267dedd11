package org.virtiotck.tck.gen;

import java.util.TreeSet;

/** Edge-value candidates for a numeric range: where virtio bugs tend to live. */
final class Edges {
    private Edges() {
    }

    /**
     * The bounds and their neighbours, 0 and ±1, and every ±2^k, ±2^k-1 and ±2^k+1 inside {@code [min, max]},
     * sorted ascending.
     */
    static long[] of(long min, long max) {
        TreeSet<Long> set = new TreeSet<>();
        add(set, min, max, min);
        add(set, min, max, max);
        if (min < max) {
            add(set, min, max, min + 1);
            add(set, min, max, max - 1);
        }
        add(set, min, max, 0);
        add(set, min, max, 1);
        add(set, min, max, -1);
        for (int k = 1; k < 64; k++) {
            long p = 1L << k;
            for (long v : new long[] {p, p - 1, p + 1, -p, -p + 1, -p - 1}) {
                add(set, min, max, v);
            }
        }
        long[] out = new long[set.size()];
        int i = 0;
        for (long v : set) {
            out[i++] = v;
        }
        return out;
    }

    private static void add(TreeSet<Long> set, long min, long max, long v) {
        if (v >= min && v <= max) {
            set.add(v);
        }
    }
}
