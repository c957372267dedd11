package org.virtiotck.tck.hostile;

import java.util.Arrays;
import java.util.List;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;

/**
 * The guest-memory oracle: free RAM is filled with a canary pattern before a case, the whole checked window is
 * snapshotted once the harness has written everything the device may look at, and afterwards every byte outside
 * the regions the device may write (writable buffers, used rings) must be unchanged. That covers canaries around
 * and between every buffer, the descriptor tables, the avail rings, indirect tables and readable buffers.
 *
 * <p>The checked window is the target's RAM window, capped by {@code -Dvirtio.hostile.canaryBytes} (default 8 MiB)
 * so that slow transports are not asked for huge reads.
 */
final class MemoryCanary {
    private static final long CAP = Long.getLong("virtio.hostile.canaryBytes", 8L << 20);

    private final Target target;
    private final long base;
    private final int size;
    private byte[] before;

    MemoryCanary(Target target) {
        this.target = target;
        MemoryWindow w = target.ram();
        this.base = w.base();
        this.size = (int) Math.min(w.size(), CAP);
    }

    static byte canaryAt(long offset) {
        long x = offset * 0x9E3779B97F4A7C15L;
        byte b = (byte) (x >>> 56);
        return b == 0 ? (byte) 0xC3 : b;
    }

    /** Fills [from, end of the checked window) with the canary pattern. */
    void fill(long from) {
        long start = Math.max(from, base);
        long end = base + size;
        byte[] chunk = new byte[1 << 16];
        for (long at = start; at < end; at += chunk.length) {
            int n = (int) Math.min(chunk.length, end - at);
            for (int i = 0; i < n; i++) {
                chunk[i] = canaryAt(at + i - base);
            }
            target.writeMemory(at, chunk, 0, n);
        }
    }

    /** Takes the reference snapshot: what every byte must still hold unless the device may write it. */
    void baseline() {
        before = read();
    }

    boolean hasBaseline() {
        return before != null;
    }

    private byte[] read() {
        byte[] b = new byte[size];
        target.readMemory(base, b, 0, size);
        return b;
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
            long from = Math.max(r[0], base);
            long to = Math.min(r[0] + r[1], base + size);
            if (r[1] > 0 && r[0] + r[1] < r[0]) {
                to = base + size; // wrapping range: clip at the window end
            }
            if (to > from) {
                int o = (int) (from - base);
                System.arraycopy(before, o, after, o, (int) (to - from));
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
                base + first, base + last, base + first, before[first] & 0xff, after[first] & 0xff);
    }
}
