package org.virtiotck.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A raw disk image file. {@link #flush()} is {@link FileChannel#force(boolean)}, so a completed FLUSH (and,
 * in writethrough mode, every completed write) is on stable storage (blk.dev.31, blk.dev.32).
 * The file is created if missing and extended with zeros to the requested size if shorter.
 */
public final class FileBackend implements BlockBackend {
    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;
    private long size;
    private long flushes;

    public FileBackend(Path path, long sizeBytes, boolean readOnly) {
        this.path = path;
        this.readOnly = readOnly;
        try {
            this.channel = readOnly
                    ? FileChannel.open(path, StandardOpenOption.READ)
                    : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
            if (!readOnly && channel.size() < sizeBytes) {
                extend(sizeBytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open image " + path, e);
        }
        this.size = sizeBytes;
    }

    private void extend(long bytes) throws IOException {
        // Writing the last byte makes the file sparse-extended to the full length.
        if (bytes > 0) {
            channel.write(ByteBuffer.wrap(new byte[1]), bytes - 1);
        }
    }

    public Path path() {
        return path;
    }

    @Override
    public long sizeBytes() {
        return size;
    }

    @Override
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        BackendRange.check(offset, length, size);
        ByteBuffer b = ByteBuffer.wrap(dst, dstOffset, length);
        try {
            long pos = offset;
            while (b.hasRemaining()) {
                int n = channel.read(b, pos);
                if (n < 0) {
                    // Past the physical end of a read-only image: the rest reads as zero.
                    while (b.hasRemaining()) {
                        b.put((byte) 0);
                    }
                    break;
                }
                pos += n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(long offset, byte[] src, int srcOffset, int length) {
        BackendRange.check(offset, length, size);
        if (readOnly) {
            throw new UncheckedIOException(new IOException("image " + path + " is opened read-only"));
        }
        ByteBuffer b = ByteBuffer.wrap(src, srcOffset, length);
        try {
            long pos = offset;
            while (b.hasRemaining()) {
                pos += channel.write(b, pos);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void flush() {
        try {
            channel.force(false);
            flushes++;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long flushCount() {
        return flushes;
    }

    @Override
    public void resize(long bytes) {
        try {
            if (!readOnly) {
                long physical = channel.size();
                if (bytes < physical) {
                    channel.truncate(bytes);
                } else if (bytes > physical) {
                    extend(bytes);
                }
            }
            size = bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
