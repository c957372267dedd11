package org.virtiotck.fuzz.exec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * What a completion wrote into its writable buffers, summarized eight bytes at a time: a hash of the byte stream
 * (the same whatever segments the stream is split into, so only the bytes and their order count) and the last byte
 * of a buffer that differs from what the harness had put there. Both sides of a differential run use it, so only
 * equality of two digests matters.
 */
final class DataDigest {
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = 0x9E3779B97F4A7C15L;
    private static final long M = 0xBF58476D1CE4E5B9L;

    private long hash;
    /** Bytes waiting to fill a word (little-endian, {@code pending} of them). */
    private long acc;
    private int pending;
    private long bytes;

    /** Starts a new stream. */
    void start() {
        hash = SEED;
        acc = 0;
        pending = 0;
        bytes = 0;
    }

    /** Appends {@code src[0, len)} to the stream. */
    void add(byte[] src, int len) {
        int i = 0;
        while (pending != 0 && i < len) {
            take(src[i++]);
        }
        for (; i + 8 <= len; i += 8) {
            mixWord((long) LE64.get(src, i));
        }
        while (i < len) {
            take(src[i++]);
        }
        bytes += len;
    }

    private void take(byte b) {
        acc |= (b & 0xffL) << (8 * pending);
        if (++pending == 8) {
            mixWord(acc);
            acc = 0;
            pending = 0;
        }
    }

    private void mixWord(long w) {
        long h = (hash ^ w) * M;
        hash = h ^ (h >>> 31);
    }

    /** The hash of the stream so far (its length included). */
    long hash() {
        long h = (hash ^ acc ^ (long) pending << 56) * M;
        h ^= bytes;
        return h ^ (h >>> 29);
    }

    /** The index of the last byte of {@code x[0, len)} that differs from {@code y[yOff, yOff+len)}, or -1. */
    static int lastMismatch(byte[] x, byte[] y, int yOff, int len) {
        int i = len;
        while (i >= 8) {
            long d = (long) LE64.get(x, i - 8) ^ (long) LE64.get(y, yOff + i - 8);
            if (d != 0) {
                return i - 1 - (Long.numberOfLeadingZeros(d) >>> 3);
            }
            i -= 8;
        }
        while (i > 0) {
            i--;
            if (x[i] != y[yOff + i]) {
                return i;
            }
        }
        return -1;
    }
}
