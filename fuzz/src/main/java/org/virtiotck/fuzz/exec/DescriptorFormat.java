package org.virtiotck.fuzz.exec;

/**
 * The executor's encoding and decoding of one split-ring descriptor (16 bytes, little-endian: addr, len, flags,
 * next; §2.7.5). It is the one place the executor knows the byte layout: the interpreter encodes with
 * {@link #encode}, the chain walker decodes with the readers below. This is the seam where a shared split-ring codec
 * (reference-device) can replace the executor's own few lines without touching the interpreter or the walker.
 */
final class DescriptorFormat {
    static final int SIZE = 16;

    private DescriptorFormat() {
    }

    /** Writes a descriptor into {@code dst[0, 16)}. */
    static void encode(byte[] dst, long addr, long len, int flags, int next) {
        for (int i = 0; i < 8; i++) {
            dst[i] = (byte) (addr >>> (8 * i));
        }
        for (int i = 0; i < 4; i++) {
            dst[8 + i] = (byte) (len >>> (8 * i));
        }
        dst[12] = (byte) flags;
        dst[13] = (byte) (flags >>> 8);
        dst[14] = (byte) next;
        dst[15] = (byte) (next >>> 8);
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
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (mem[at + i] & 0xff);
        }
        return v;
    }
}
