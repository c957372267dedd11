package org.virtiotck.tck.target.qtest;

import java.io.IOException;

/**
 * A byte pipe to a qtest server (or anything speaking its line protocol, such as the guest agent): a child's
 * stdio, a Unix-domain socket or a loopback TCP socket.
 *
 * <p>Reads and writes block. {@link #abort()} must make any blocked read or write on another thread return
 * promptly (with end-of-stream or an exception): that is how a call that overruns its time bound is ended.
 */
public interface QtestLink {

    /** Reads at most {@code len} bytes; returns -1 at end of stream. */
    int read(byte[] buf, int off, int len) throws IOException;

    /** Writes all bytes and pushes them to the peer. */
    void write(byte[] buf, int off, int len) throws IOException;

    /** Unblocks readers and writers right away: kills an owned child, closes a socket. Never throws. */
    void abort();

    /**
     * Why the stream ended, for a crash report: the child's exit status and the tail of its stderr, or
     * "the peer closed the connection". May wait a moment for a dying child to finish. Never throws.
     */
    String describeEnd();

    /** Releases everything (a child gets a short grace period, then is killed). Never throws. */
    void close();

    /** A short description for reports, e.g. "stdio of qemu-system-aarch64" or "unix:/tmp/q.sock". */
    String describe();

    /**
     * Whether the peer is gone or goes away within {@code millis} (a child process exiting); used to tell a
     * dying QEMU's last words on the stream (e.g. an assertion message) from a protocol error.
     */
    default boolean endsWithin(long millis) {
        return false;
    }

    /** Whether reads would return data without blocking, when the link can tell; -1 when it cannot. */
    default int available() {
        return -1;
    }
}
