package org.virtiotck.device;

/** What every {@link BlockBackend} keeps alike: its size, the bounds check before an access, the flush count. */
abstract class SizedBackend implements BlockBackend {
    private long size;
    private long flushes;

    SizedBackend(long sizeBytes) {
        this.size = sizeBytes;
    }

    @Override
    public final long sizeBytes() {
        return size;
    }

    /** Records the new size once the backend's storage has been resized. */
    final void resized(long bytes) {
        size = bytes;
    }

    /** Throws when {@code [offset, offset + length)} is not inside the backend. */
    final void check(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("backend access [" + offset + ", +" + length + ") outside " + size);
        }
    }

    /** Counts a flush that completed. */
    final void flushed() {
        flushes++;
    }

    @Override
    public final long flushCount() {
        return flushes;
    }
}
