package org.virtiotck.memory;

/**
 * Guest-physical memory as a device sees it: one contiguous RAM window [base, base + size).
 * All multi-byte accessors are little-endian. Any access outside the window throws
 * {@link GuestMemoryFault}; devices check with {@link #contains(long, long)} first and never let it escape.
 */
public interface GuestMemory {

    long base();

    long size();

    /** Whether [gpa, gpa + length) lies inside RAM without the sum overflowing 2^64. */
    default boolean contains(long gpa, long length) {
        if (length < 0) {
            return false;
        }
        long offset = gpa - base();
        if (Long.compareUnsigned(gpa, base()) < 0 || Long.compareUnsigned(offset, size()) > 0) {
            return false;
        }
        return Long.compareUnsigned(length, size() - offset) <= 0;
    }

    void read(long gpa, byte[] dst, int dstOffset, int length);

    void write(long gpa, byte[] src, int srcOffset, int length);

    default byte[] read(long gpa, int length) {
        byte[] b = new byte[length];
        read(gpa, b, 0, length);
        return b;
    }

    default void write(long gpa, byte[] src) {
        write(gpa, src, 0, src.length);
    }

    void fill(long gpa, long length, byte value);

    int readU8(long gpa);

    int readLe16(long gpa);

    int readLe32(long gpa);

    long readLe64(long gpa);

    void writeU8(long gpa, int value);

    void writeLe16(long gpa, int value);

    void writeLe32(long gpa, int value);

    void writeLe64(long gpa, long value);
}
