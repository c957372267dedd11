package org.virtiotck.fuzz.exec;

import java.util.Arrays;

/**
 * A set of bytes of the arena, exact, kept as a bitmap (one bit a byte) with a summary bit per full 64-bit word:
 * adding {@code [lo, hi)} sets its bits a word at a time, so the same range added again at every notify costs no
 * more than the first time and nothing needs sorting or merging; a lookup finds the end of the run of set bits
 * holding a byte (the canary check skips a whole device-writable run at once) crossing full words through the
 * summary; finding the next byte in the set crosses empty words through a second summary (a bit per non-empty
 * word); {@link #clear} zeroes only the words touched since the last clear.
 */
final class AllowedRanges {
    private final int limit;
    private final long[] bits;
    /** One bit a word of {@link #bits}: set when that word is full (all 64 bytes in the set), so a lookup crosses a
     * long run of set bytes 4096 bytes at a time. */
    private final long[] full;
    /** One bit a word of {@link #bits}: set when that word may hold a byte of the set (never clear while it does),
     * so a walk over a sparse set crosses empty words 4096 bytes at a time. */
    private final long[] some;
    /** Words touched since the last clear: {@code [minWord, maxWord]} (empty while minWord > maxWord). */
    private int minWord;
    private int maxWord;

    AllowedRanges(int limit) {
        this.limit = limit;
        this.bits = new long[(limit + 63) >>> 6];
        this.full = new long[(bits.length + 63) >>> 6];
        this.some = new long[full.length];
        this.minWord = bits.length;
        this.maxWord = -1;
    }

    /** Adds {@code [lo, hi)} (within {@code [0, limit)}; empty ranges are ignored). */
    void add(int lo, int hi) {
        if (hi <= lo) {
            return;
        }
        int w0 = lo >>> 6;
        int w1 = (hi - 1) >>> 6;
        if (w1 > w0 + 1 && allSet(full, w0 + 1, w1)) {
            // the words in between are full already (the same buffer allowed again at a later notify): only the
            // two end words can gain bytes
            bits[w0] |= -1L << lo;
            bits[w1] |= -1L >>> -hi;
        } else {
            setBits(bits, lo, hi);
            if (w1 > w0 + 1) {
                setBits(full, w0 + 1, w1);
            }
        }
        markIfFull(w0);
        markIfFull(w1);
        setBits(some, w0, w1 + 1);
        minWord = Math.min(minWord, w0);
        maxWord = Math.max(maxWord, w1);
    }

    private void markIfFull(int w) {
        if (bits[w] == -1L) {
            full[w >>> 6] |= 1L << w;
        }
    }

    /** Sets bits {@code [lo, hi)} of {@code a} (hi > lo), a 64-bit word at a time. */
    private static void setBits(long[] a, int lo, int hi) {
        int w0 = lo >>> 6;
        int w1 = (hi - 1) >>> 6;
        long first = -1L << lo; // shifts use the low six bits: the bits from lo within its word
        long last = -1L >>> -hi; // the bits below hi within its word (all of them when hi is a multiple of 64)
        if (w0 == w1) {
            a[w0] |= first & last;
        } else {
            a[w0] |= first;
            if (w1 > w0 + 1) {
                Arrays.fill(a, w0 + 1, w1, -1L);
            }
            a[w1] |= last;
        }
    }

    /** Whether bits {@code [lo, hi)} of {@code a} (hi > lo) are all set. */
    private static boolean allSet(long[] a, int lo, int hi) {
        int w0 = lo >>> 6;
        int w1 = (hi - 1) >>> 6;
        long first = -1L << lo;
        long last = -1L >>> -hi;
        if (w0 == w1) {
            return (a[w0] & first & last) == (first & last);
        }
        if ((a[w0] & first) != first || (a[w1] & last) != last) {
            return false;
        }
        for (int w = w0 + 1; w < w1; w++) {
            if (a[w] != -1L) {
                return false;
            }
        }
        return true;
    }

    /** Whether byte {@code at} is in the set. */
    private boolean has(int at) {
        return at >= 0 && at < limit && (bits[at >>> 6] & 1L << at) != 0;
    }

    /** The first byte at or after {@code from} that is not in the set ({@code limit} when there is none). */
    private int nextClear(int from) {
        int w = from >>> 6;
        long word = ~bits[w] & (-1L << from);
        if (word != 0) {
            return Math.min(limit, (w << 6) + Long.numberOfTrailingZeros(word));
        }
        // the next word that is not full (words past the last touched one are empty, so one is found there)
        int next = w + 1;
        int s = next >>> 6;
        if (s >= full.length) {
            return limit;
        }
        long free = ~full[s] & (-1L << next);
        while (free == 0) {
            if (++s >= full.length) {
                return limit;
            }
            free = ~full[s];
        }
        w = (s << 6) + Long.numberOfTrailingZeros(free);
        if (w >= bits.length) {
            return limit;
        }
        return Math.min(limit, (w << 6) + Long.numberOfTrailingZeros(~bits[w]));
    }

    /** The first byte at or after {@code from} that is in the set ({@code limit} when there is none). */
    private int nextSet(int from) {
        if (from >= limit) {
            return limit;
        }
        int w = Math.max(from >>> 6, minWord);
        if (w > maxWord) {
            return limit;
        }
        long word = bits[w] & (w == from >>> 6 ? -1L << from : -1L);
        if (word == 0) {
            // the next non-empty word after w, through the summary
            int next = w + 1;
            int s = next >>> 6;
            if (next > maxWord) {
                return limit;
            }
            long more = some[s] & (-1L << next);
            while (more == 0) {
                if (++s > maxWord >>> 6) {
                    return limit;
                }
                more = some[s];
            }
            w = (s << 6) + Long.numberOfTrailingZeros(more);
            if (w > maxWord) {
                return limit;
            }
            word = bits[w];
        }
        return Math.min(limit, (w << 6) + Long.numberOfTrailingZeros(word));
    }

    /** The end of the run of bytes in the set that holds byte {@code at}, or -1 when {@code at} is not in it. */
    int endOfRangeAt(int at) {
        return has(at) ? nextClear(at) : -1;
    }

    /** The start of the run of bytes in the set that ends at {@code end} ({@code end} itself when byte
     * {@code end - 1} is not in the set). */
    int startOfRangeEndingAt(int end) {
        if (end <= 0 || !has(end - 1)) {
            return end;
        }
        int w = (end - 1) >>> 6;
        long clear = ~bits[w] & (-1L >>> -end); // the bytes below end in its word that are not in the set
        while (clear == 0) {
            if (--w < 0) {
                return 0;
            }
            clear = ~bits[w];
        }
        return (w << 6) + 64 - Long.numberOfLeadingZeros(clear);
    }

    /** Whether some byte of {@code [lo, hi)} is in the set. */
    boolean overlaps(int lo, int hi) {
        int from = Math.max(lo, 0);
        int to = Math.min(hi, limit);
        if (to <= from) {
            return false;
        }
        // only the words of [from, to): nothing beyond them matters
        int w0 = from >>> 6;
        int w1 = (to - 1) >>> 6;
        if (w0 == w1) {
            return (bits[w0] & (-1L << from) & (-1L >>> -to)) != 0;
        }
        if ((bits[w0] & (-1L << from)) != 0 || (bits[w1] & (-1L >>> -to)) != 0) {
            return true;
        }
        for (int w = w0 + 1; w < w1; w++) {
            if (bits[w] != 0) {
                return true;
            }
        }
        return false;
    }

    /** Copies {@code src} over {@code dst} at every byte in the set below {@code end}. */
    void restoreFrom(byte[] src, byte[] dst, int end) {
        forEachRange(end, (lo, hi) -> System.arraycopy(src, lo, dst, lo, hi - lo));
    }

    /** Receives the runs of bytes of a set, each as {@code [lo, hi)}. */
    interface RangeSink {
        void accept(int lo, int hi);
    }

    /** Feeds each run of bytes in the set below {@code end} to {@code sink}, in order. */
    void forEachRange(int end, RangeSink sink) {
        int e = Math.min(end, limit);
        for (int i = nextSet(0); i < e; ) {
            int j = Math.min(e, nextClear(i));
            sink.accept(i, j);
            i = nextSet(j);
        }
    }

    /** Empties the set. */
    void clear() {
        if (minWord <= maxWord) {
            Arrays.fill(bits, minWord, maxWord + 1, 0L);
            Arrays.fill(full, minWord >>> 6, (maxWord >>> 6) + 1, 0L);
            Arrays.fill(some, minWord >>> 6, (maxWord >>> 6) + 1, 0L);
        }
        minWord = bits.length;
        maxWord = -1;
    }
}
