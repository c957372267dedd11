package org.virtiotck.tck.driver;

/** Little-endian packing helpers for byte arrays. */
public final class Le {
    private Le() {}

    public static long get(byte[] b, int off, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    public static void put(byte[] b, int off, int width, long v) {
        for (int i = 0; i < width; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    public static byte[] bytes(long v, int width) {
        byte[] b = new byte[width];
        put(b, 0, width, v);
        return b;
    }
}
