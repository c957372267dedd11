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

    private int rSeg;
    private long rOff;
    private int wSeg;
    private long wOff;

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
        if (segments == addr.length) {
            addr = java.util.Arrays.copyOf(addr, segments * 2);
            len = java.util.Arrays.copyOf(len, segments * 2);
        }
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
        rSeg = 0;
        rOff = 0;
    }

    /** Copies the next {@code n} readable bytes; the caller keeps within {@link #readableBytes()}. */
    void read(GuestMemory m, byte[] dst, int off, int n) {
        while (n > 0) {
            long avail = len[rSeg] - rOff;
            int k = (int) Math.min(avail, n);
            m.read(addr[rSeg] + rOff, dst, off, k);
            off += k;
            n -= k;
            rOff += k;
            if (rOff == len[rSeg]) {
                rSeg++;
                rOff = 0;
            }
        }
    }

    // ---- device-writable stream ----

    void startWrite() {
        wSeg = readableSegments;
        wOff = 0;
    }

    /** Writes the next {@code n} bytes of the writable stream. */
    void write(GuestMemory m, byte[] src, int off, int n) {
        while (n > 0) {
            long room = len[wSeg] - wOff;
            int k = (int) Math.min(room, n);
            m.write(addr[wSeg] + wOff, src, off, k);
            off += k;
            n -= k;
            advanceWrite(k);
        }
    }

    /** Writes {@code n} copies of {@code value} to the writable stream. */
    void fill(GuestMemory m, long n, byte value) {
        while (n > 0) {
            long room = len[wSeg] - wOff;
            long k = Math.min(room, n);
            m.fill(addr[wSeg] + wOff, k, value);
            n -= k;
            advanceWrite(k);
        }
    }

    private void advanceWrite(long k) {
        wOff += k;
        if (wOff == len[wSeg]) {
            wSeg++;
            wOff = 0;
        }
    }

    /** The status byte is the last byte of the writable part (blk-desc.dev.7). */
    void writeLastByte(GuestMemory m, int value) {
        int last = segments - 1;
        m.writeU8(addr[last] + len[last] - 1, value);
    }
}
