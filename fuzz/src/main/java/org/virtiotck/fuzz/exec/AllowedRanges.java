package org.virtiotck.fuzz.exec;

import java.util.Arrays;

/**
 * A set of byte ranges {@code [lo, hi)} of the arena, exact, whose cost follows the number of ranges rather than
 * their size: the canary check skips a whole device-writable range at once instead of testing a per-byte mask, and
 * nothing has to be cleared byte by byte between runs. Ranges are collected during a run ({@link #add}), then
 * sorted and merged once ({@link #seal}) before lookups. Past {@value #MAX} ranges it falls back to a per-byte mask
 * of the arena, so the answer stays exact whatever a program does.
 */
final class AllowedRanges {
    private static final int MAX = 1024;
    /** How many of the latest ranges an added one is merged with. */
    private static final int RECENT = 32;

    private final int limit;
    private final long[] packed = new long[MAX];
    private int n;
    private boolean sealed = true;
    private boolean[] mask;
    private boolean maskMode;
    private int minLo = Integer.MAX_VALUE;
    private int maxHi;

    AllowedRanges(int limit) {
        this.limit = limit;
    }

    /** Adds {@code [lo, hi)} (within {@code [0, limit)}; empty ranges are ignored). */
    void add(int lo, int hi) {
        if (hi <= lo) {
            return;
        }
        minLo = Math.min(minLo, lo);
        maxHi = Math.max(maxHi, hi);
        if (maskMode) {
            Arrays.fill(mask, lo, hi, true);
            return;
        }
        // Merge into a recent range it touches: sequential writes, and the same used ring and buffers allowed again
        // at every notify, would otherwise pile up.
        for (int i = n - 1; i >= Math.max(0, n - RECENT); i--) {
            int llo = (int) (packed[i] >>> 32);
            int lhi = (int) packed[i];
            if (lo >= llo && hi <= lhi) {
                return;
            }
            if (lo <= lhi && hi >= llo) {
                packed[i] = pack(Math.min(lo, llo), Math.max(hi, lhi));
                sealed = false;
                return;
            }
        }
        if (n == MAX) {
            toMask();
            Arrays.fill(mask, lo, hi, true);
            return;
        }
        packed[n++] = pack(lo, hi);
        sealed = false;
    }

    private static long pack(int lo, int hi) {
        return (long) lo << 32 | hi;
    }

    private void toMask() {
        if (mask == null) {
            mask = new boolean[limit];
        }
        for (int i = 0; i < n; i++) {
            Arrays.fill(mask, (int) (packed[i] >>> 32), (int) packed[i], true);
        }
        n = 0;
        maskMode = true;
    }

    /** Sorts and merges the ranges: lookups need it. */
    void seal() {
        if (sealed || maskMode) {
            return;
        }
        Arrays.sort(packed, 0, n);
        int w = 0;
        for (int i = 0; i < n; i++) {
            int lo = (int) (packed[i] >>> 32);
            int hi = (int) packed[i];
            if (w > 0 && lo <= (int) packed[w - 1]) {
                int phi = (int) packed[w - 1];
                packed[w - 1] = pack((int) (packed[w - 1] >>> 32), Math.max(phi, hi));
            } else {
                packed[w++] = pack(lo, hi);
            }
        }
        n = w;
        sealed = true;
    }

    /** The end of the range holding byte {@code at}, or -1 when no range holds it. Needs {@link #seal}. */
    int endOfRangeAt(int at) {
        if (at < minLo || at >= maxHi) {
            return -1;
        }
        if (maskMode) {
            if (!mask[at]) {
                return -1;
            }
            int e = at;
            while (e < limit && mask[e]) {
                e++;
            }
            return e;
        }
        int lo = 0;
        int hi = n - 1;
        while (lo <= hi) { // last range starting at or before `at`
            int mid = (lo + hi) >>> 1;
            if ((int) (packed[mid] >>> 32) <= at) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && at < (int) packed[hi] ? (int) packed[hi] : -1;
    }

    /** Whether some range overlaps {@code [lo, hi)}; works sealed or not (a scan: for rare questions). */
    boolean overlaps(int lo, int hi) {
        if (hi <= lo || hi <= minLo || lo >= maxHi) {
            return false;
        }
        if (maskMode) {
            for (int i = Math.max(lo, 0); i < Math.min(hi, limit); i++) {
                if (mask[i]) {
                    return true;
                }
            }
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (lo < (int) packed[i] && hi > (int) (packed[i] >>> 32)) {
                return true;
            }
        }
        return false;
    }

    /** Copies {@code src} over {@code dst} in every range, none beyond {@code end} (a mask copies its span). */
    void restoreFrom(byte[] src, byte[] dst, int end) {
        if (maskMode) {
            int e = Math.min(end, maxHi);
            if (minLo < e) {
                System.arraycopy(src, minLo, dst, minLo, e - minLo);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int lo = (int) (packed[i] >>> 32);
            int hi = Math.min(end, (int) packed[i]);
            if (lo < hi) {
                System.arraycopy(src, lo, dst, lo, hi - lo);
            }
        }
    }

    /** Empties the set. */
    void clear() {
        if (maskMode) {
            Arrays.fill(mask, Math.min(minLo, limit), Math.min(maxHi, limit), false);
            maskMode = false;
        }
        n = 0;
        sealed = true;
        minLo = Integer.MAX_VALUE;
        maxHi = 0;
    }
}
