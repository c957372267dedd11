package org.virtiotck.device;

import org.virtiotck.memory.GuestMemory;

/**
 * One validated descriptor chain as the device sees it: the device-readable buffers followed by the
 * device-writable buffers, each read or written as one byte stream so that no descriptor boundary is
 * assumed (split.dev.1). The device never writes outside the writable buffers (split.dev.3, split.dev.6).
 * Instances are reused across requests to avoid allocation.
 */
final class DescriptorChain {
    int head;
    private int segments;
    private int readableSegments;
    private long[] addr = new long[8];
    private long[] len = new long[8];
    private long readableBytes;
    private long writableBytes;
    /** Descriptors visited (direct and indirect), for diagnostics. */
    int descriptors;

    private final Cursor reader = new Cursor();
    private final Cursor writer = new Cursor();

    /** Where the next byte of one of the two streams is: a buffer and an offset in it. */
    private final class Cursor {
        private int seg;
        private long off;

        void start(int firstSegment) {
            seg = firstSegment;
            off = 0;
        }

        long address() {
            return addr[seg] + off;
        }

        /** How many of the next {@code n} bytes lie in the current buffer. */
        long take(long n) {
            return Math.min(len[seg] - off, n);
        }

        /** Whether this is the device-writable stream. */
        boolean isWriter() {
            return this == writer;
        }

        /** Moves past {@code k} bytes of the current buffer. */
        void advance(long k) {
            off += k;
            if (off == len[seg]) {
                seg++;
                off = 0;
            }
        }
    }

    void clear(int head) {
        this.head = head;
        segments = 0;
        readableSegments = 0;
        readableBytes = 0;
        writableBytes = 0;
        descriptors = 0;
    }

    /** Appends a buffer; the validator guarantees that readable buffers never follow writable ones. */
    void add(long address, long length, boolean writable) {
        if (length == 0) {
            return;
        }
        growIfFull();
        addr[segments] = address;
        len[segments] = length;
        segments++;
        if (writable) {
            writableBytes += length;
        } else {
            readableSegments++;
            readableBytes += length;
        }
    }

    private void growIfFull() {
        if (segments == addr.length) {
            addr = java.util.Arrays.copyOf(addr, segments * 2);
            len = java.util.Arrays.copyOf(len, segments * 2);
        }
    }

    long readableBytes() {
        return readableBytes;
    }

    long writableBytes() {
        return writableBytes;
    }

    int writableSegments() {
        return segments - readableSegments;
    }

    /** Length of the last writable buffer (legacy framing check), or 0. */
    long lastWritableLength() {
        return segments > readableSegments ? len[segments - 1] : 0;
    }

    long firstReadableLength() {
        return readableSegments > 0 ? len[0] : 0;
    }

    // ---- device-readable stream ----

    void startRead() {
        reader.start(0);
    }

    /** Copies the next {@code n} readable bytes; the caller keeps within {@link #readableBytes()}. */
    void read(GuestMemory m, byte[] dst, int off, int n) {
        transfer(m, reader, dst, off, n);
    }

    // ---- device-writable stream ----

    void startWrite() {
        writer.start(readableSegments);
    }

    /** Writes the next {@code n} bytes of the writable stream. */
    void write(GuestMemory m, byte[] src, int off, int n) {
        transfer(m, writer, src, off, n);
    }

    /** Moves {@code n} bytes between {@code buf} and the stream of {@code c}, one buffer of the chain at a time. */
    private static void transfer(GuestMemory m, Cursor c, byte[] buf, int off, int n) {
        while (n > 0) {
            int k = (int) c.take(n);
            if (c.isWriter()) {
                m.write(c.address(), buf, off, k);
            } else {
                m.read(c.address(), buf, off, k);
            }
            c.advance(k);
            off += k;
            n -= k;
        }
    }

    /** Writes {@code n} copies of {@code value} to the writable stream. */
    void fill(GuestMemory m, long n, byte value) {
        while (n > 0) {
            long k = writer.take(n);
            m.fill(writer.address(), k, value);
            writer.advance(k);
            n -= k;
        }
    }

    /** The status byte is the last byte of the writable part (blk-desc.dev.7). */
    void writeLastByte(GuestMemory m, int value) {
        int last = segments - 1;
        m.writeU8(addr[last] + len[last] - 1, value);
    }
}
