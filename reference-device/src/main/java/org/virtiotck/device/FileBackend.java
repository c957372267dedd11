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
public final class FileBackend extends SizedBackend {
    private final Path path;
    private final FileChannel channel;
    private final boolean readOnly;

    public FileBackend(Path path, long sizeBytes, boolean readOnly) {
        super(sizeBytes);
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
    public void read(long offset, byte[] dst, int dstOffset, int length) {
        check(offset, length);
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
        check(offset, length);
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
            flushed();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
            resized(bytes);
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
