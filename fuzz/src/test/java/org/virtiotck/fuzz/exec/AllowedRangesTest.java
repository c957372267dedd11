package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link AllowedRanges} answers exactly like a per-byte mask, for a few ranges and for thousands. */
class AllowedRangesTest {
    private static final int LIMIT = 4096;

    @Test
    void agreesWithAPerByteMask() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            AllowedRanges set = new AllowedRanges(LIMIT);
            // the same set is reused across runs, as the arena does, so clear() must leave nothing behind
            for (int run = 0; run < 3; run++) {
                boolean[] mask = new boolean[LIMIT];
                boolean many = r.nextInt(4) == 0; // thousands of scattered bytes
                int adds = many ? 2000 + r.nextInt(800) : r.nextInt(60);
                for (int k = 0; k < adds; k++) {
                    int lo = r.nextInt(LIMIT);
                    int hi = Math.min(LIMIT, lo + (many ? 1 : r.nextBoolean() ? r.nextInt(4) : r.nextInt(300)));
                    set.add(lo, hi);
                    Arrays.fill(mask, lo, Math.max(lo, hi), true);
                }
                for (int at = 0; at < LIMIT; at++) {
                    int end = at;
                    while (end < LIMIT && mask[end]) {
                        end++;
                    }
                    assertEquals(end > at ? end : -1, set.endOfRangeAt(at), "seed " + seed + " run " + run
                            + " byte " + at);
                }
                byte[] src = new byte[LIMIT];
                Arrays.fill(src, (byte) 1);
                byte[] dst = new byte[LIMIT];
                set.restoreFrom(src, dst, LIMIT);
                for (int at = 0; at < LIMIT; at++) {
                    if (mask[at]) {
                        assertEquals(1, dst[at], "seed " + seed + ": restore missed byte " + at);
                    }
                }
                set.clear();
            }
        }
    }
}
