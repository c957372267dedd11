package org.virtiotck.device;

/**
 * The disk behind the device, addressed in bytes. The device only issues accesses inside
 * {@code [0, sizeBytes())}; implementations may throw {@link IndexOutOfBoundsException} otherwise and
 * {@link java.io.UncheckedIOException} on host I/O failure (the device then completes the request with IOERR).
 */
public interface BlockBackend extends AutoCloseable {

    long sizeBytes();

    void read(long offset, byte[] dst, int dstOffset, int length);

    void write(long offset, byte[] src, int srcOffset, int length);

    /** Makes every completed write durable (a FLUSH request, or a writethrough write, blk.dev.31, blk.dev.32). */
    void flush();

    /** Host-side size change; new bytes read as zero. */
    void resize(long bytes);

    /** Sets {@code length} bytes to zero (WRITE_ZEROES, DISCARD, SECURE_ERASE). */
    default void writeZeroes(long offset, long length) {
        byte[] zeros = new byte[(int) Math.min(length, 64 * 1024)];
        long done = 0;
        while (done < length) {
            int n = (int) Math.min(zeros.length, length - done);
            write(offset + done, zeros, 0, n);
            done += n;
        }
    }

    /** Deallocation hint (DISCARD, blk.dev.25). Contents afterwards are unspecified; the default zeroes them. */
    default void discard(long offset, long length) {
        writeZeroes(offset, length);
    }

    /** How many times {@link #flush()} reached the backend, for host-side inspection. */
    long flushCount();

    @Override
    default void close() {}

    /** Convenience for host-side inspection: a copy of {@code length} bytes at {@code offset}. */
    default byte[] read(long offset, int length) {
        byte[] b = new byte[length];
        read(offset, b, 0, length);
        return b;
    }
}
