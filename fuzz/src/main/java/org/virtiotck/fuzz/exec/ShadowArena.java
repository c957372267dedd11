package org.virtiotck.fuzz.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.virtiotck.tck.adapter.hosted.SharedRamTarget;
import org.virtiotck.tck.adapter.reference.ReferenceTarget;
import org.virtiotck.tck.spi.Target;

/**
 * The checked arena and its canary oracle. The first {@value #ARENA} bytes of the target's RAM window are the
 * arena; the shadow holds what the harness expects there: a position-dependent canary pattern plus everything the
 * program wrote. Program memory writes go to the shadow and are flushed to the target in one call per touched range
 * before the next register access (batched). After the run the arena is read back once ({@link #check}); every
 * byte that differs from the shadow outside the device-writable regions ({@link #allow}) is a canary violation.
 * Between runs the touched part of the arena is restored to the canary ({@link #restore}).
 *
 * <p>Also counts target calls ({@link #calls}): every register or memory access is one round trip on a wire link.
 */
final class ShadowArena {
    /** Size of the checked arena at the start of guest RAM. */
    static final int ARENA = 64 * 1024;
    private static final int MAX_ALLOWED = 512;

    /** The canary pattern the arena holds outside what a run touches. */
    static final byte[] CANARY = new byte[ARENA];

    static {
        for (int i = 0; i < ARENA; i++) {
            CANARY[i] = (byte) (0xA5 ^ (i * 7) ^ (i >>> 8));
        }
    }

    /** Request data: a fixed pseudo-random pattern that payload ops copy from. */
    static final byte[] PATTERN = new byte[1 << 17];

    static {
        long x = 0x2545F4914F6CDD1DL;
        for (int i = 0; i < PATTERN.length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            PATTERN[i] = (byte) x;
        }
    }

    private final Target target;
    /**
     * The in-process reference device's RAM, compared with the shadow where it lies instead of through a copy (the
     * device is synchronous: nothing changes it between the check and later reads); null for every other target.
     */
    private final SharedRamTarget inPlace;
    final long ramBase;
    private final long ramSize;
    final byte[] shadow = new byte[ARENA];
    private final byte[] after = new byte[ARENA];
    /** Device-writable bytes of the arena this run ({@link AllowedRanges}). */
    private final AllowedRanges allowed = new AllowedRanges(ARENA);
    /** Bytes of WRITE-flagged indirect descriptors after a chain's head: written only by a device that takes them
     * for data buffers (split.dev.8). */
    private final AllowedRanges asData = new AllowedRanges(ARENA);
    /** Legacy: where a device that leaves used_event out of the available ring puts the used ring
     * (split-legacy.dev.1): written only by such a device. */
    private final AllowedRanges earlyUsed = new AllowedRanges(ARENA);
    /** Ranges of the shadow the program wrote this run (the rest of the shadow holds the canary). */
    private final AllowedRanges written = new AllowedRanges(ARENA);
    private final byte[] small = new byte[16];
    /** Scratch buffer for reads and off-arena writes of up to 4096 bytes. */
    final byte[] bounce = new byte[4096];
    private final int[] dirtyA = new int[32];
    private final int[] dirtyB = new int[32];
    private int dirtyN;
    /** End of the part of the arena this run touched (program writes, device-writable regions). */
    private int hi;
    private int prevHi = ARENA;
    /**
     * Restore everything checked since the last full restore, not only what the last run checked: set for
     * asynchronous targets, which may still write after a run's read-back (a late completion drained at the next
     * reset), so bytes beyond the last run's region may hold such a write when a later run checks further.
     */
    boolean restoreAllChecked;
    /** End of the largest region checked since the arena was last restored whole. */
    private int checkedSinceFull;
    /** End of the region the last read-back checked (0 while the program is still running). */
    private int checked;
    /** Bytes of {@link #after} that hold the device-side image (0 while the program is still running). */
    private int afterImage;
    // off-arena allowed regions [lo, hi) in RAM offsets
    private final long[] allowLo = new long[MAX_ALLOWED];
    private final long[] allowHi = new long[MAX_ALLOWED];
    private int allowN;
    private boolean allowOverflow;
    /** Target calls made (each is one round trip over a wire link such as qtest). */
    long calls;

    ShadowArena(Target target) {
        this.target = target;
        this.inPlace = target instanceof ReferenceTarget rt ? rt : null;
        this.ramBase = target.ram().base();
        this.ramSize = target.ram().size();
        System.arraycopy(CANARY, 0, shadow, 0, ARENA);
    }

    /** After a hard reset the whole arena is restored at the next run. */
    void forgetTouched() {
        prevHi = ARENA;
    }

    /**
     * Restores the arena part the last run touched to the canary: in the shadow only what the program wrote (the
     * rest still holds the canary), on the device everything up to the end of the region checked last. Forgets
     * the allowances.
     */
    void restore() {
        if (prevHi == checked && !restoreAllChecked) {
            // The read-back found the canary intact outside what the program wrote and the device was allowed to
            // write, and a synchronous device wrote nothing since: only those bytes need the canary again. One walk
            // over what the program wrote restores the shadow and marks the target's bytes (the checked part).
            written.forEachRange(ARENA, restoreWritten);
            allowed.forEachRange(checked, this::markDirty);
            asData.forEachRange(checked, this::markDirty);
            earlyUsed.forEachRange(checked, this::markDirty);
        } else {
            written.restoreFrom(CANARY, shadow, ARENA);
            markDirty(0, prevHi);
        }
        written.clear();
        allowed.clear();
        asData.clear();
        earlyUsed.clear();
        if (prevHi == ARENA) {
            checkedSinceFull = 0;
        }
        hi = 0;
        checked = 0;
        afterImage = 0;
        allowN = 0;
        allowOverflow = false;
    }

    /** Puts the canary back into a range of the shadow the program wrote, and onto the target where it was checked. */
    private final AllowedRanges.RangeSink restoreWritten = (lo, end) -> {
        System.arraycopy(CANARY, lo, shadow, lo, end - lo);
        markDirty(lo, Math.min(end, checked));
    };

    /**
     * Reads the touched part of the arena back once and counts canary violations into {@code obs}: bytes that
     * differ from the shadow outside every device-writable region (those only inside as-data regions apart).
     */
    void check(Observation obs) {
        int check = Math.min(ARENA, ((hi + 63) & ~63) + 256);
        // A device-writable run at the end of the region (a buffer of a huge length reaches the end of the arena)
        // needs no comparing: it is not read back.
        int read = allowed.startOfRangeEndingAt(check);
        if (read > 0) {
            calls++;
            if (inPlace == null) {
                target.readMemory(ramBase, after, 0, read);
            }
        }
        checked = check;
        afterImage = inPlace == null ? read : 0;
        int i = 0;
        while (i < read) {
            int m = inPlace == null ? Arrays.mismatch(after, i, read, shadow, i, read)
                    : (int) inPlace.mismatch(ramBase + i, shadow, i, read - i);
            if (m < 0) {
                break;
            }
            int at = i + m;
            int allowedEnd = allowed.endOfRangeAt(at);
            if (allowedEnd > at) {
                i = allowedEnd; // the device may write anything there: skip the whole range
                continue;
            }
            if (asData.endOfRangeAt(at) > at) {
                obs.canaryAsDataBytes++;
            } else if (earlyUsed.endOfRangeAt(at) > at) {
                obs.canaryEarlyUsedBytes++;
            } else {
                if (obs.canaryBytes == 0) {
                    obs.canaryFirst = at;
                }
                obs.canaryBytes++;
            }
            i = at + 1;
        }
        obs.canaryUnchecked = allowOverflow;
        checkedSinceFull = Math.max(checkedSinceFull, check);
        prevHi = obs.canaryBytes > 0 ? ARENA : restoreAllChecked ? checkedSinceFull : check;
    }

    /** Marks {@code [off, off+len)} (RAM offsets, possibly outside the arena) device-writable for this run. */
    void allow(long off, long len) {
        if (len <= 0) {
            return;
        }
        long end = endOf(off, len);
        addInArena(allowed, off, end);
        if (end > ARENA || off < 0) {
            if (allowN < MAX_ALLOWED) {
                allowLo[allowN] = off;
                allowHi[allowN] = end;
                allowN++;
            } else {
                allowOverflow = true;
            }
        }
    }

    /**
     * Whether the device may have written some of {@code [off, off+len)} (in the arena) earlier in this run: then
     * the shadow does not know what is there (e.g. IN data from the device's disk).
     */
    boolean deviceMayHaveWritten(long off, int len) {
        return allowed.overlaps((int) off, (int) off + len);
    }

    /**
     * Marks the in-arena part of {@code [off, off+len)} as written only by a device taking it for data (QEMU 7.2
     * wrote a status byte at RAM+0, the last byte of such a table that starts below guest RAM).
     */
    void allowAsData(long off, long len) {
        if (len > 0) {
            addInArena(asData, off, endOf(off, len));
        }
    }

    /**
     * Marks the in-arena part of {@code [off, off+len)} as written only by a legacy device that places the used
     * ring before the available ring's used_event (QEMU 7.2's legacy deviation 12).
     */
    void allowEarlyUsed(long off, long len) {
        if (len > 0) {
            addInArena(earlyUsed, off, endOf(off, len));
        }
    }

    /** The end of {@code [off, off+len)}, or the top of the address space when it wraps past it. */
    private static long endOf(long off, long len) {
        long end = off + len;
        return end < off ? Long.MAX_VALUE : end;
    }

    /** Adds the in-arena part of {@code [off, end)} to {@code ranges}: also of a buffer that starts below RAM. */
    private void addInArena(AllowedRanges ranges, long off, long end) {
        if (end > 0 && off < ARENA) {
            int a = (int) Math.max(0, off);
            int e = (int) Math.min(ARENA, end);
            ranges.add(a, e);
            hi = Math.max(hi, e);
        }
    }

    /** The run's device-writable ranges, each {@code [lo, hi)}: in the arena, as data, then outside it; for tests. */
    List<List<Long>> allowances() {
        List<List<Long>> out = new ArrayList<>();
        allowed.forEachRange(ARENA, (lo, e) -> out.add(List.of(0L, (long) lo, (long) e)));
        asData.forEachRange(ARENA, (lo, e) -> out.add(List.of(1L, (long) lo, (long) e)));
        earlyUsed.forEachRange(ARENA, (lo, e) -> out.add(List.of(3L, (long) lo, (long) e)));
        for (int i = 0; i < allowN; i++) {
            out.add(List.of(2L, allowLo[i], allowHi[i]));
        }
        return out;
    }

    /** Whether a RAM offset range lies in a region the device was allowed to write (outside the arena). */
    boolean allowedOffArena(long off, long len) {
        for (int i = 0; i < allowN; i++) {
            if (off >= allowLo[i] && off + len <= allowHi[i]) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ writes

    /** Copies {@code src[srcOff, srcOff+len)} into the shadow at arena offset {@code off} (in the arena). */
    void write(long off, byte[] src, int srcOff, int len) {
        System.arraycopy(src, srcOff, shadow, (int) off, len);
        touched((int) off, (int) off + len);
    }

    /** Fills {@code [off, off+len)} of the shadow (in the arena) with {@code b}. */
    void fill(long off, long len, byte b) {
        Arrays.fill(shadow, (int) off, (int) (off + len), b);
        touched((int) off, (int) (off + len));
    }

    private void touched(int lo, int end) {
        written.add(lo, end);
        markDirty(lo, end);
        hi = Math.max(hi, end);
    }

    /** Writes straight to guest RAM outside the arena (after flushing the arena's pending writes). */
    void writeRam(long off, byte[] src, int len) {
        int in = off < ARENA ? (int) Math.min(len, ARENA - off) : 0;
        if (in > 0) {
            // A write that starts in the arena and runs past its end: the arena part goes through the shadow, or
            // the canary check would take the program's own bytes there for the device's.
            write(off, src, 0, in);
        }
        flush();
        calls++;
        target.writeMemory(ramBase + off + in, src, in, len - in);
    }

    /**
     * Records a shadow range to write to the target. Ranges merge only when they touch, so a flush never rewrites
     * bytes in between (which the device may have written since).
     */
    private void markDirty(int lo, int hiExclusive) {
        if (hiExclusive <= lo) {
            return;
        }
        for (int i = 0; i < dirtyN; i++) {
            if (lo <= dirtyB[i] && hiExclusive >= dirtyA[i]) {
                dirtyA[i] = Math.min(dirtyA[i], lo);
                dirtyB[i] = Math.max(dirtyB[i], hiExclusive);
                return;
            }
        }
        if (dirtyN == dirtyA.length) {
            flush();
        }
        dirtyA[dirtyN] = lo;
        dirtyB[dirtyN] = hiExclusive;
        dirtyN++;
    }

    /** Writes the pending shadow ranges to the target. */
    void flush() {
        for (int i = 0; i < dirtyN; i++) {
            calls++;
            target.writeMemory(ramBase + dirtyA[i], shadow, dirtyA[i], dirtyB[i] - dirtyA[i]);
        }
        dirtyN = 0;
    }

    // ------------------------------------------------------------------------------------------ reads

    static boolean inArena(long off, long len) {
        return off >= 0 && len >= 0 && off <= ARENA && len <= ARENA - off;
    }

    boolean inRam(long off, long len) {
        return off >= 0 && len >= 0 && Long.compareUnsigned(off, ramSize) <= 0 && len <= ramSize - off;
    }

    /**
     * Copies {@code len} bytes of guest RAM outside the arena from the target (what the program wrote there went
     * to the target directly: the shadow holds only the arena).
     */
    void readOffArena(long off, byte[] dst, int len) {
        flush();
        calls++;
        target.readMemory(ramBase + off, dst, 0, len);
    }

    /** The shadow's little-endian value at an arena offset (the caller checked the range). */
    long shadowLe(long off, int width) {
        return LittleEndian.le(shadow, (int) off, width);
    }

    int readShadowLe16(long off) {
        return inArena(off, 2) ? (int) shadowLe(off, 2) : -1;
    }

    /** Reads from the device side: the after-image inside the checked region, the target otherwise. */
    long readDevice(long off, int width) {
        if (!inRam(off, width)) {
            return -1;
        }
        if (off >= 0 && off + width <= afterImage) {
            System.arraycopy(after, (int) off, small, 0, width);
        } else {
            calls++;
            target.readMemory(ramBase + off, small, 0, width);
        }
        return LittleEndian.le(small, 0, width);
    }

    /** Reads {@code len} (at most 4096) bytes of guest RAM at arena offset {@code off} into {@link #bounce}. */
    void readIntoBounce(long off, int len) {
        calls++;
        target.readMemory(ramBase + off, bounce, 0, len);
    }
}
