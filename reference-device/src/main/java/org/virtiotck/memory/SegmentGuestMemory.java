package org.virtiotck.memory;

import static org.virtiotck.memory.LittleEndian.LE16;
import static org.virtiotck.memory.LittleEndian.LE32;
import static org.virtiotck.memory.LittleEndian.LE64;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest RAM backed by a {@link MemorySegment}: heap memory for in-process targets, or native memory that
 * a hypervisor (KVM, HVF) maps into a real guest so that device and vCPU share the same bytes.
 *
 * @param base    guest-physical address of the first byte
 * @param segment the bytes
 */
public record SegmentGuestMemory(long base, MemorySegment segment) implements GuestMemory {

    /** Zeroed RAM of {@code size} bytes on the Java heap, at guest-physical address {@code base}. */
    public static SegmentGuestMemory allocate(long base, int size) {
        return new SegmentGuestMemory(base, MemorySegment.ofArray(new byte[size]));
    }

    /** Zeroed native RAM, page aligned, owned by {@code arena}. */
    public static SegmentGuestMemory allocateNative(long base, long size, Arena arena) {
        return new SegmentGuestMemory(base, arena.allocate(size, 4096));
    }

    @Override
    public long size() {
        return segment.byteSize();
    }

    private long at(long gpa, long length) {
        if (!contains(gpa, length)) {
            throw new GuestMemoryFault(gpa, length, this);
        }
        return gpa - base;
    }

    @Override
    public void read(long gpa, byte[] dst, int dstOffset, int length) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, at(gpa, length), dst, dstOffset, length);
    }

    @Override
    public void write(long gpa, byte[] src, int srcOffset, int length) {
        MemorySegment.copy(src, srcOffset, segment, ValueLayout.JAVA_BYTE, at(gpa, length), length);
    }

    /**
     * Compares {@code [gpa, gpa + length)} with {@code expected[from, from + length)} in place, without copying:
     * the offset from {@code gpa} of the first byte that differs, or -1 when none does.
     */
    public long mismatch(long gpa, byte[] expected, int from, int length) {
        long at = at(gpa, length);
        return MemorySegment.mismatch(segment, at, at + length, MemorySegment.ofArray(expected), from, from + length);
    }

    @Override
    public void fill(long gpa, long length, byte value) {
        segment.asSlice(at(gpa, length), length).fill(value);
    }

    @Override
    public int readU8(long gpa) {
        return segment.get(ValueLayout.JAVA_BYTE, at(gpa, 1)) & 0xff;
    }

    @Override
    public int readLe16(long gpa) {
        return segment.get(LE16, at(gpa, 2)) & 0xffff;
    }

    @Override
    public int readLe32(long gpa) {
        return segment.get(LE32, at(gpa, 4));
    }

    @Override
    public long readLe64(long gpa) {
        return segment.get(LE64, at(gpa, 8));
    }

    @Override
    public void writeU8(long gpa, int value) {
        segment.set(ValueLayout.JAVA_BYTE, at(gpa, 1), (byte) value);
    }

    @Override
    public void writeLe16(long gpa, int value) {
        segment.set(LE16, at(gpa, 2), (short) value);
    }

    @Override
    public void writeLe32(long gpa, int value) {
        segment.set(LE32, at(gpa, 4), value);
    }

    @Override
    public void writeLe64(long gpa, long value) {
        segment.set(LE64, at(gpa, 8), value);
    }
}
