package org.virtiotck.tck.target.qtest;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.virtiotck.tck.spi.TargetFault;

/**
 * A socket link to a program the kit started itself: e.g. a VMM whose serial port (or qtest server) listens on a
 * Unix socket. Bytes go over the socket; the child is owned like a {@link ProcessLink} (killed on abort and
 * close, its exit status and stderr tail quoted when the stream ends).
 */
public final class LaunchedSocketLink implements QtestLink {
    private final ProcessLink child;
    private final SocketLink socket;

    private LaunchedSocketLink(ProcessLink child, SocketLink socket) {
        this.child = child;
        this.socket = socket;
    }

    /**
     * Starts {@code command}, then connects to {@code address} as soon as it accepts, within {@code waitMillis}.
     *
     * @throws TargetFault CRASHED when the program cannot be started, exits first, or never listens in time
     */
    public static LaunchedSocketLink start(List<String> command, Path stderrFile, SocketAddress address,
                                           long waitMillis) {
        ProcessLink child;
        try {
            child = ProcessLink.start(command, stderrFile);
        } catch (IOException e) {
            throw new TargetFault(TargetFault.Kind.CRASHED, "cannot start " + command.getFirst() + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        IOException last = null;
        while (System.nanoTime() - deadline < 0) {
            if (!child.process().isAlive()) {
                String end = child.describeEnd();
                child.close();
                throw new TargetFault(TargetFault.Kind.CRASHED, command.getFirst() + " ended before " + address
                        + " accepted a connection: " + end);
            }
            try {
                return new LaunchedSocketLink(child, SocketLink.connect(address));
            } catch (IOException e) {
                last = e;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        child.close();
        throw new TargetFault(TargetFault.Kind.CRASHED, address + " did not accept a connection within " + waitMillis
                + " ms after starting " + command.getFirst() + (last == null ? "" : " (" + last.getMessage() + ")"));
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return socket.read(buf, off, len);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        socket.write(buf, off, len);
    }

    @Override
    public void abort() {
        socket.abort();
        child.abort();
    }

    @Override
    public String describeEnd() {
        return child.endsWithin(1000) ? child.describeEnd() : socket.describeEnd();
    }

    @Override
    public boolean endsWithin(long millis) {
        return child.endsWithin(millis);
    }

    @Override
    public void close() {
        socket.close();
        child.close();
    }

    @Override
    public String describe() {
        return socket.describe() + " of " + child.describe().replace("stdio of ", "");
    }
}
