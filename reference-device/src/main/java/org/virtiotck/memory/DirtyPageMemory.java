package org.virtiotck.memory;

/**
 * Guest RAM that remembers which 4 KiB pages were written since it was last cleared, so that clearing it
 * ({@link #zeroWritten}) touches those pages only. A fuzzer hard-resets an in-process device thousands of times a
 * second over a few MiB of RAM of which a run writes a few pages: zeroing all of it each time cost more than the
 * runs between two resets.
 *
 * <p>Every write through this object is tracked; a write that reaches the RAM some other way (another object over
 * the same bytes) must be reported with {@link #markWritten}.
 */
public final class DirtyPageMemory implements GuestMemory {
    private static final int PAGE_SHIFT = 12;

    private final SegmentGuestMemory ram;
    private final long[] dirty;

    public DirtyPageMemory(SegmentGuestMemory ram) {
        this.ram = ram;
        long pages = (ram.size() + (1L << PAGE_SHIFT) - 1) >>> PAGE_SHIFT;
        this.dirty = new long[(int) ((pages + 63) >>> 6)];
    }

    /** Records that {@code [gpa, gpa + length)} (inside the RAM) may have changed. */
    public void markWritten(long gpa, long length) {
        if (length <= 0) {
            return;
        }
        long first = (gpa - ram.base()) >>> PAGE_SHIFT;
        long last = (gpa - ram.base() + length - 1) >>> PAGE_SHIFT;
        for (long p = first; p <= last; p++) {
            dirty[(int) (p >>> 6)] |= 1L << p;
        }
    }

    /** Zeroes every page written since the last call: afterwards the whole RAM reads 0, as when it was new. */
    public void zeroWritten() {
        long pageBytes = 1L << PAGE_SHIFT;
        for (int w = 0; w < dirty.length; w++) {
            long bits = dirty[w];
            while (bits != 0) {
                int b = Long.numberOfTrailingZeros(bits);
                int run = Long.numberOfTrailingZeros(~(bits >>> b)); // neighbouring dirty pages: one fill
                long start = ((long) w << 6 | b) * pageBytes;
                long end = Math.min(ram.size(), start + run * pageBytes);
                ram.fill(ram.base() + start, end - start, (byte) 0);
                bits &= run == 64 ? 0 : ~(((1L << run) - 1) << b);
            }
            dirty[w] = 0;
        }
    }

    @Override
    public long base() {
        return ram.base();
    }

    @Override
    public long size() {
        return ram.size();
    }

    @Override
    public void read(long gpa, byte[] dst, int dstOffset, int length) {
        ram.read(gpa, dst, dstOffset, length);
    }

    @Override
    public void write(long gpa, byte[] src, int srcOffset, int length) {
        ram.write(gpa, src, srcOffset, length);
        markWritten(gpa, length);
    }

    @Override
    public void fill(long gpa, long length, byte value) {
        ram.fill(gpa, length, value);
        markWritten(gpa, length);
    }

    @Override
    public int readU8(long gpa) {
        return ram.readU8(gpa);
    }

    @Override
    public int readLe16(long gpa) {
        return ram.readLe16(gpa);
    }

    @Override
    public int readLe32(long gpa) {
        return ram.readLe32(gpa);
    }

    @Override
    public long readLe64(long gpa) {
        return ram.readLe64(gpa);
    }

    @Override
    public void writeU8(long gpa, int value) {
        ram.writeU8(gpa, value);
        markWritten(gpa, 1);
    }

    @Override
    public void writeLe16(long gpa, int value) {
        ram.writeLe16(gpa, value);
        markWritten(gpa, 2);
    }

    @Override
    public void writeLe32(long gpa, int value) {
        ram.writeLe32(gpa, value);
        markWritten(gpa, 4);
    }

    @Override
    public void writeLe64(long gpa, long value) {
        ram.writeLe64(gpa, value);
        markWritten(gpa, 8);
    }
}
