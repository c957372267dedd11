package org.virtiotck.fuzz.exec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The executor's encoding and decoding of one split-ring descriptor (16 bytes, little-endian: addr, len, flags,
 * next; §2.7.5). It is the one place the executor knows the byte layout: the interpreter encodes with
 * {@link #encode}, the chain walker decodes with the readers below. This is the seam where a shared split-ring codec
 * (reference-device) can replace the executor's own few lines without touching the interpreter or the walker.
 */
final class DescriptorFormat {
    static final int SIZE = 16;

    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private DescriptorFormat() {
    }

    /** Writes a descriptor into {@code dst[0, 16)}. */
    static void encode(byte[] dst, long addr, long len, int flags, int next) {
        LE64.set(dst, 0, addr);
        LE32.set(dst, 8, (int) len);
        LE16.set(dst, 12, (short) flags);
        LE16.set(dst, 14, (short) next);
    }

    static long addr(byte[] mem, int at) {
        return le(mem, at, 8);
    }

    static long len(byte[] mem, int at) {
        return le(mem, at + 8, 4);
    }

    static int flags(byte[] mem, int at) {
        return (int) le(mem, at + 12, 2);
    }

    static int next(byte[] mem, int at) {
        return (int) le(mem, at + 14, 2);
    }

    /** Little-endian unsigned value of {@code width} bytes at {@code at}. */
    static long le(byte[] mem, int at, int width) {
        switch (width) {
            case 1 -> {
                return mem[at] & 0xff;
            }
            case 2 -> {
                return (short) LE16.get(mem, at) & 0xffff;
            }
            case 4 -> {
                return (int) LE32.get(mem, at) & 0xffffffffL;
            }
            case 8 -> {
                return (long) LE64.get(mem, at);
            }
            default -> {
            }
        }
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (mem[at + i] & 0xff);
        }
        return v;
    }
}
