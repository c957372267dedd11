package org.virtiotck.device;

import java.util.Arrays;
import java.util.Objects;

/**
 * A RAM disk that allocates 64 KiB chunks on first write, so that creating a device (as a fuzzer does many
 * thousand times a second) costs almost nothing and huge sparse capacities are cheap. Unwritten bytes read 0.
 */
public final class MemoryBackend implements BlockBackend {
    private static final int CHUNK_SHIFT = 16;
    private static final int CHUNK = 1 << CHUNK_SHIFT;

    private long size;
    private byte[][] chunks;
    private long flushes;

    public MemoryBackend(long sizeBytes) {
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("negative size " + sizeBytes);
        }
        this.size = sizeBytes;
        this.chunks = new byte[chunkCount(sizeBytes)][];
    }

    private static int chunkCount(long bytes) {
        long n = (bytes + CHUNK - 1) >>> CHUNK_SHIFT;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("memory backend too large: " + bytes + " bytes");
        }
        return (int) n;
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        BackendRange.check(offset, length, size);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        while (length > 0) {
            int c = (int) (offset >>> CHUNK_SHIFT);
            int in = (int) (offset & (CHUNK - 1));
            int n = Math.min(length, CHUNK - in);
            byte[] chunk = chunks[c];
            if (chunk == null) {
                Arrays.fill(dst, dstOffset, dstOffset + n, (byte) 0);
            } else {
                System.arraycopy(chunk, in, dst, dstOffset, n);
            }
            offset += n;
            dstOffset += n;
            length -= n;
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length) {
        BackendRange.check(offset, length, size);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        while (length > 0) {
            int c = (int) (offset >>> CHUNK_SHIFT);
            int in = (int) (offset & (CHUNK - 1));
            int n = Math.min(length, CHUNK - in);
            byte[] chunk = chunks[c];
            if (chunk == null) {
                chunk = chunks[c] = new byte[CHUNK];
            }
            System.arraycopy(src, srcOffset, chunk, in, n);
            offset += n;
            srcOffset += n;
            length -= n;
        }
    }

    @Override
    public void writeZeroes(long offset, long length) {
        BackendRange.check(offset, length, size);
        while (length > 0) {
            int c = (int) (offset >>> CHUNK_SHIFT);
            int in = (int) (offset & (CHUNK - 1));
            int n = (int) Math.min(length, CHUNK - in);
            if (n == CHUNK) {
                chunks[c] = null; // a whole chunk: simply forget it
            } else if (chunks[c] != null) {
                Arrays.fill(chunks[c], in, in + n, (byte) 0);
            }
            offset += n;
            length -= n;
        }
    }

    @Override
    public void flush() {
        flushes++; // RAM is as durable as it gets
    }

    @Override
    public long flushCount() {
        return flushes;
    }

    @Override
    public void resize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
        byte[][] next = Arrays.copyOf(chunks, chunkCount(bytes));
        // Bytes past the new end must read as zero if the disk grows again later.
        if (bytes < size && (bytes & (CHUNK - 1)) != 0) {
            int last = (int) (bytes >>> CHUNK_SHIFT);
            if (next[last] != null) {
                Arrays.fill(next[last], (int) (bytes & (CHUNK - 1)), CHUNK, (byte) 0);
            }
        }
        chunks = next;
        size = bytes;
    }
}
