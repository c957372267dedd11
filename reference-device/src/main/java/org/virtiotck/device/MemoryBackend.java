package org.virtiotck.device;

import java.util.Arrays;
import java.util.Objects;

/**
 * A RAM disk that allocates 64 KiB chunks on first write, so that creating a device (as a fuzzer does many
 * thousand times a second) costs almost nothing and huge sparse capacities are cheap. Unwritten bytes read 0.
 */
public final class MemoryBackend extends SizedBackend {
    private static final int CHUNK_SHIFT = 16;
    private static final int CHUNK = 1 << CHUNK_SHIFT;

    private byte[][] chunks;

    public MemoryBackend(long sizeBytes) {
        super(sizeBytes);
        if (sizeBytes < 0) {
            throw new IllegalArgumentException("negative size " + sizeBytes);
        }
        this.chunks = new byte[chunkCount(sizeBytes)][];
    }

    private static int chunkCount(long bytes) {
        long n = (bytes + CHUNK - 1) >>> CHUNK_SHIFT;
        if (n > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("memory backend too large: " + bytes + " bytes");
        }
        return (int) n;
    }

    /** What an access does to its part inside one chunk. */
    @FunctionalInterface
    private interface ChunkStep {
        /** {@code n} bytes from {@code in} in chunk {@code c}; {@code done} bytes of the access came before. */
        void apply(int c, int in, int n, long done);
    }

    /** Splits {@code [offset, offset + length)} at chunk boundaries, in order. */
    private static void eachChunk(long offset, long length, ChunkStep step) {
        long done = 0;
        while (done < length) {
            long at = offset + done;
            int in = (int) (at & (CHUNK - 1));
            int n = (int) Math.min(length - done, CHUNK - in);
            step.apply((int) (at >>> CHUNK_SHIFT), in, n, done);
            done += n;
        }
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        check(offset, length);
        Objects.checkFromIndexSize(dstOffset, length, dst.length);
        eachChunk(offset, length, (c, in, n, done) -> {
            int at = dstOffset + (int) done;
            if (chunks[c] == null) {
                Arrays.fill(dst, at, at + n, (byte) 0);
            } else {
                System.arraycopy(chunks[c], in, dst, at, n);
            }
        });
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length) {
        check(offset, length);
        Objects.checkFromIndexSize(srcOffset, length, src.length);
        eachChunk(offset, length, (c, in, n, done) -> {
            if (chunks[c] == null) {
                chunks[c] = new byte[CHUNK];
            }
            System.arraycopy(src, srcOffset + (int) done, chunks[c], in, n);
        });
    }

    @Override
    public void writeZeroes(long offset, long length) {
        check(offset, length);
        eachChunk(offset, length, (c, in, n, done) -> {
            if (n == CHUNK) {
                chunks[c] = null; // a whole chunk: simply forget it
            } else if (chunks[c] != null) {
                Arrays.fill(chunks[c], in, in + n, (byte) 0);
            }
        });
    }

    @Override
    public void flush() {
        flushed(); // RAM is as durable as it gets
    }

    @Override
    public void resize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size " + bytes);
        }
        byte[][] next = Arrays.copyOf(chunks, chunkCount(bytes));
        // Bytes past the new end must read as zero if the disk grows again later.
        if (bytes < sizeBytes() && (bytes & (CHUNK - 1)) != 0) {
            int last = (int) (bytes >>> CHUNK_SHIFT);
            if (next[last] != null) {
                Arrays.fill(next[last], (int) (bytes & (CHUNK - 1)), CHUNK, (byte) 0);
            }
        }
        chunks = next;
        resized(bytes);
    }
}
