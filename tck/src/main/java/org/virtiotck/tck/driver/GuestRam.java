package org.virtiotck.tck.driver;

import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;

/**
 * The harness's view of guest RAM: little-endian helpers over the target's memory calls and a bump allocator
 * for rings and buffers inside the RAM window.
 */
public final class GuestRam {
    private final Target target;
    private final MemoryWindow window;
    private long next;

    public GuestRam(Target target) {
        this.target = target;
        this.window = target.ram();
        this.next = window.base();
    }

    public MemoryWindow window() {
        return window;
    }

    /** Forgets every allocation; the next one starts at the bottom of the window again. */
    public void releaseAll() {
        next = window.base();
    }

    /** The allocation point, to hand back to {@link #resetTo(long)} when short-lived buffers are done. */
    public long mark() {
        return next;
    }

    /** Frees everything allocated since {@code mark}. */
    public void resetTo(long mark) {
        if (mark < window.base() || mark > next) {
            throw new HarnessError("bad guest RAM mark 0x" + Long.toHexString(mark));
        }
        next = mark;
    }

    /** Allocates {@code size} bytes aligned to {@code align} (a power of two) and zeroes them. */
    public long alloc(long size, long align) {
        long at = (next + align - 1) & -align;
        if (size < 0 || at + size > window.end() || at + size < at) {
            throw new HarnessError("guest RAM window " + window + " exhausted: need 0x" + Long.toHexString(size)
                    + " bytes at 0x" + Long.toHexString(at));
        }
        next = at + size;
        zero(at, size);
        return at;
    }

    public void zero(long gpa, long size) {
        byte[] zeros = new byte[(int) Math.min(size, 1 << 16)];
        for (long done = 0; done < size; done += zeros.length) {
            int n = (int) Math.min(zeros.length, size - done);
            target.writeMemory(gpa + done, zeros, 0, n);
        }
    }

    public byte[] read(long gpa, int length) {
        byte[] b = new byte[length];
        target.readMemory(gpa, b, 0, length);
        return b;
    }

    public void write(long gpa, byte[] data) {
        target.writeMemory(gpa, data, 0, data.length);
    }

    public int u8(long gpa) {
        return read(gpa, 1)[0] & 0xff;
    }

    public int le16(long gpa) {
        return (int) Le.get(read(gpa, 2), 0, 2);
    }

    public int le32(long gpa) {
        return (int) Le.get(read(gpa, 4), 0, 4);
    }

    public long le64(long gpa) {
        return Le.get(read(gpa, 8), 0, 8);
    }

    public void putU8(long gpa, int v) {
        write(gpa, new byte[] {(byte) v});
    }

    public void putLe16(long gpa, int v) {
        write(gpa, Le.bytes(v, 2));
    }

    public void putLe32(long gpa, int v) {
        write(gpa, Le.bytes(v, 4));
    }

    public void putLe64(long gpa, long v) {
        write(gpa, Le.bytes(v, 8));
    }
}
