package org.virtiotck.queue;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.virtiotck.memory.GuestMemory;
import org.virtiotck.spec.SplitRing;

/**
 * One split-ring descriptor (§2.7.5): le64 addr, le32 len, le16 flags, le16 next, 16 bytes. The codec every side
 * uses: the device decodes with {@link #read(GuestMemory, long)}, the driver, the hostile builder and the fuzzer
 * encode into a byte array ({@link #encode(byte[], int, long, long, int, int)}) or guest memory. Values are kept
 * raw: {@code len} is the unsigned 32-bit field, {@code flags} and {@code next} the unsigned 16-bit fields, so a
 * malformed descriptor survives a round trip unchanged.
 */
public record Descriptor(long addr, long len, int flags, int next) {
    /** Bytes of one encoded descriptor. */
    public static final int SIZE = SplitRing.DESC_SIZE;

    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE16 =
            MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    /** Keeps the fields to their widths: {@code len} to 32 bits, {@code flags} and {@code next} to 16. */
    public Descriptor {
        len &= 0xffffffffL;
        flags &= 0xffff;
        next &= 0xffff;
    }

    public boolean hasNext() {
        return (flags & SplitRing.DESC_F_NEXT) != 0;
    }

    public boolean writable() {
        return (flags & SplitRing.DESC_F_WRITE) != 0;
    }

    public boolean indirect() {
        return (flags & SplitRing.DESC_F_INDIRECT) != 0;
    }

    /** Writes one descriptor at {@code off} of {@code b} (the low 32 bits of {@code len}, 16 of flags and next). */
    public static void encode(byte[] b, int off, long addr, long len, int flags, int next) {
        LE64.set(b, off, addr);
        LE32.set(b, off + 8, (int) len);
        LE16.set(b, off + 12, (short) flags);
        LE16.set(b, off + 14, (short) next);
    }

    /** Writes this descriptor at {@code off} of {@code b}. */
    public void encode(byte[] b, int off) {
        encode(b, off, addr, len, flags, next);
    }

    /** This descriptor as its 16 bytes. */
    public byte[] bytes() {
        byte[] b = new byte[SIZE];
        encode(b, 0);
        return b;
    }

    /** The {@code addr} field of the descriptor encoded at {@code off}, read in place (no object made). */
    public static long addrAt(byte[] b, int off) {
        return (long) LE64.get(b, off);
    }

    /** The {@code len} field (unsigned) of the descriptor encoded at {@code off}, read in place. */
    public static long lenAt(byte[] b, int off) {
        return (int) LE32.get(b, off + 8) & 0xffffffffL;
    }

    /** The {@code flags} field (unsigned) of the descriptor encoded at {@code off}, read in place. */
    public static int flagsAt(byte[] b, int off) {
        return (short) LE16.get(b, off + 12) & 0xffff;
    }

    /** The {@code next} field (unsigned) of the descriptor encoded at {@code off}, read in place. */
    public static int nextAt(byte[] b, int off) {
        return (short) LE16.get(b, off + 14) & 0xffff;
    }

    /** Reads the descriptor at {@code off} of {@code b}. */
    public static Descriptor decode(byte[] b, int off) {
        return new Descriptor(addrAt(b, off), lenAt(b, off), flagsAt(b, off), nextAt(b, off));
    }

    /** Reads the descriptor at guest address {@code gpa}; the caller checked that its 16 bytes are in RAM. */
    public static Descriptor read(GuestMemory m, long gpa) {
        return new Descriptor(m.readLe64(gpa), m.readLe32(gpa + 8), m.readLe16(gpa + 12), m.readLe16(gpa + 14));
    }

    /** Writes this descriptor at guest address {@code gpa}. */
    public void write(GuestMemory m, long gpa) {
        m.writeLe64(gpa, addr);
        m.writeLe32(gpa + 8, (int) len);
        m.writeLe16(gpa + 12, flags);
        m.writeLe16(gpa + 14, next);
    }

    /** Offset of entry {@code index} in a descriptor table (the ring's or an indirect one). */
    public static long offset(int index) {
        return (long) SIZE * Integer.toUnsignedLong(index);
    }
}
