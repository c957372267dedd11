package org.virtiotck.device;

/** The bounds check every {@link BlockBackend} makes before an access. */
final class BackendRange {
    private BackendRange() {}

    /** Throws when {@code [offset, offset + length)} is not inside a backend of {@code size} bytes. */
    static void check(long offset, long length, long size) {
        if (offset < 0 || length < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException("backend access [" + offset + ", +" + length + ") outside " + size);
        }
    }
}
