package org.virtiotck.tck.hostile;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;

/**
 * The guest-memory oracle: free RAM is filled with a canary pattern before a case, the checked window is
 * snapshotted once the harness has written everything the device may look at, and afterwards every byte outside
 * the regions the device may write (writable buffers, used rings) must be unchanged. That covers canaries around
 * and between every buffer, the descriptor tables, the avail rings, indirect tables and readable buffers.
 *
 * <p>The checked window is the bottom of the RAM window, where the harness allocates (up to
 * {@code -Dvirtio.hostile.canaryBytes}, default 4 MiB), plus the last 64 KiB of RAM, where wrapped or clipped
 * addresses tend to land. Slow transports are not asked for reads of the whole guest.
 */
final class MemoryCanary {
    private static final long CAP = Long.getLong("virtio.hostile.canaryBytes", 4L << 20);
    private static final long TAIL = 64 << 10;

    private final Target target;
    private final long base;
    /** Checked segments {start, length}, ascending and disjoint. */
    private final List<long[]> segments = new ArrayList<>();
    private final int size;
    private byte[] before;

    MemoryCanary(Target target) {
        this.target = target;
        MemoryWindow w = target.ram();
        this.base = w.base();
        long low = Math.min(w.size(), CAP);
        segments.add(new long[] {base, low});
        long tailStart = Math.max(base + low, w.end() - TAIL);
        if (tailStart < w.end()) {
            segments.add(new long[] {tailStart, w.end() - tailStart});
        }
        this.size = (int) segments.stream().mapToLong(s -> s[1]).sum();
    }

    static byte canaryAt(long offset) {
        long x = offset * 0x9E3779B97F4A7C15L;
        byte b = (byte) (x >>> 56);
        return b == 0 ? (byte) 0xC3 : b;
    }

    /** Fills the checked window from {@code from} on with the canary pattern. */
    void fill(long from) {
        byte[] chunk = new byte[1 << 16];
        for (long[] s : segments) {
            long start = Math.max(from, s[0]);
            long end = s[0] + s[1];
            for (long at = start; at < end; at += chunk.length) {
                int n = (int) Math.min(chunk.length, end - at);
                for (int i = 0; i < n; i++) {
                    chunk[i] = canaryAt(at + i - base);
                }
                target.writeMemory(at, chunk, 0, n);
            }
        }
    }

    /** Takes the reference snapshot: what every byte must still hold unless the device may write it. */
    void baseline() {
        before = read();
    }

    private byte[] read() {
        byte[] b = new byte[size];
        int o = 0;
        for (long[] s : segments) {
            target.readMemory(s[0], b, o, (int) s[1]);
            o += (int) s[1];
        }
        return b;
    }

    /** Offset into the snapshot of guest address {@code gpa}, or -1 when it is not checked. */
    private int offsetOf(long gpa) {
        int o = 0;
        for (long[] s : segments) {
            if (gpa >= s[0] && gpa < s[0] + s[1]) {
                return o + (int) (gpa - s[0]);
            }
            o += (int) s[1];
        }
        return -1;
    }

    private long gpaOf(int offset) {
        int o = 0;
        for (long[] s : segments) {
            if (offset < o + s[1]) {
                return s[0] + (offset - o);
            }
            o += (int) s[1];
        }
        return -1;
    }

    /**
     * Compares the window with the baseline, ignoring {@code allowed} ranges ({gpa, length}); returns null when
     * intact, else a description of the changed bytes.
     */
    String check(List<long[]> allowed) {
        if (before == null) {
            return null;
        }
        byte[] after = read();
        for (long[] r : allowed) {
            long end = r[0] + r[1];
            if (r[1] > 0 && Long.compareUnsigned(end, r[0]) < 0) {
                end = Long.MAX_VALUE; // wrapping range: up to the end of everything
            }
            for (long[] s : segments) {
                long from = Math.max(r[0], s[0]);
                long to = Math.min(end, s[0] + s[1]);
                if (to > from) {
                    int o = offsetOf(from);
                    System.arraycopy(before, o, after, o, (int) (to - from));
                }
            }
        }
        int first = Arrays.mismatch(before, after);
        if (first < 0) {
            return null;
        }
        int count = 0;
        int last = first;
        for (int i = first; i < size; i++) {
            if (before[i] != after[i]) {
                count++;
                last = i;
            }
        }
        return String.format("%d byte(s) changed in [0x%x, 0x%x]; first at 0x%x: 0x%02x -> 0x%02x", count,
                gpaOf(first), gpaOf(last), gpaOf(first), before[first] & 0xff, after[first] & 0xff);
    }
}
