package org.virtiotck.fuzz.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link AllowedRanges} answers exactly like a per-byte mask (the ends and starts of runs, overlaps, the runs in
 * order), for a few ranges and for thousands, also when ranges are added again grown at their ends. */
class AllowedRangesTest {
    @Test
    void agreesWithAPerByteMask() {
        agrees(4096, 200);
        agrees(1000, 50); // not a whole number of words
        agrees(ShadowArena.ARENA, 20); // the arena: more than one summary word
    }

    private static void agrees(int limitBytes, int seeds) {
        for (long seed = 1; seed <= seeds; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            AllowedRanges set = new AllowedRanges(limitBytes);
            // the same set is reused across runs, as the arena does, so clear() must leave nothing behind
            for (int run = 0; run < 3; run++) {
                boolean[] mask = new boolean[limitBytes];
                boolean many = r.nextInt(4) == 0; // thousands of scattered bytes
                int adds = many ? 2000 + r.nextInt(800) : r.nextInt(60);
                for (int k = 0; k < adds; k++) {
                    int lo = r.nextInt(limitBytes);
                    int len = many ? 1 : r.nextBoolean() ? r.nextInt(4) : r.nextInt(r.nextInt(8) == 0 ? limitBytes : 300);
                    int hi = Math.min(limitBytes, lo + len);
                    set.add(lo, hi);
                    Arrays.fill(mask, lo, Math.max(lo, hi), true);
                    if (hi - lo > 128 && r.nextBoolean()) {
                        // the same buffer allowed again at a later notify, grown by a few bytes at either end
                        int lo2 = Math.max(0, lo - r.nextInt(70));
                        int hi2 = Math.min(limitBytes, hi + r.nextInt(70));
                        set.add(lo2, hi2);
                        Arrays.fill(mask, lo2, hi2, true);
                    }
                }
                int end = -1; // the end of the run holding `at`, computed from the top down
                for (int at = limitBytes - 1; at >= 0; at--) {
                    end = !mask[at] ? -1 : end < 0 ? at + 1 : end;
                    assertEquals(end, set.endOfRangeAt(at), "seed " + seed + " run " + run + " byte " + at);
                }
                int start = 0; // the start of the run ending at `at`, computed from the bottom up
                for (int at = 0; at <= limitBytes; at++) {
                    start = at == 0 || !mask[at - 1] ? at : start;
                    assertEquals(start, set.startOfRangeEndingAt(at), "seed " + seed + " run " + run + " end " + at);
                }
                for (int k = 0; k < 200; k++) {
                    int lo = r.nextInt(limitBytes + 64) - 32;
                    int hi = lo + r.nextInt(r.nextBoolean() ? 70 : limitBytes);
                    boolean any = false;
                    for (int at = Math.max(0, lo); at < Math.min(hi, limitBytes) && !any; at++) {
                        any = mask[at];
                    }
                    assertEquals(any, set.overlaps(lo, hi), "seed " + seed + ": overlaps(" + lo + ", " + hi + ")");
                }
                byte[] src = new byte[limitBytes];
                Arrays.fill(src, (byte) 1);
                byte[] dst = new byte[limitBytes];
                set.restoreFrom(src, dst, limitBytes);
                for (int at = 0; at < limitBytes; at++) {
                    assertEquals(mask[at] ? 1 : 0, dst[at], "seed " + seed + ": restore of byte " + at);
                }
                boolean[] ranges = new boolean[limitBytes];
                set.forEachRange(limitBytes, (lo, hi) -> Arrays.fill(ranges, lo, hi, true));
                assertEquals(Arrays.toString(mask), Arrays.toString(ranges), "seed " + seed + ": forEachRange");
                set.clear();
            }
        }
    }
}
