package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.virtiotck.tck.adapter.Quietly;

/** Speaks qtest over a connected stream socket (Unix-domain or loopback TCP). */
public final class SocketLink implements QtestLink {
    private final SocketChannel channel;
    private final String name;

    private SocketLink(SocketChannel channel, String name) {
        this.channel = channel;
        this.name = name;
    }

    public static SocketLink connect(SocketAddress address) throws IOException {
        SocketChannel ch = SocketChannel.open(address);
        if (address instanceof InetSocketAddress) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        String name = address instanceof UnixDomainSocketAddress u ? "unix:" + u.getPath()
                : "tcp:" + address;
        return new SocketLink(ch, name);
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        return channel.read(ByteBuffer.wrap(buf, off, len));
    }

    @Override
    public void write(byte[] buf, int off, int len) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(buf, off, len);
        while (bb.hasRemaining()) {
            channel.write(bb);
        }
    }

    @Override
    public void abort() {
        close();
    }

    @Override
    public String describeEnd() {
        return "the peer closed the connection (" + name + ")";
    }

    @Override
    public void close() {
        Quietly.close(channel);
    }

    @Override
    public String describe() {
        return name;
    }
}
