package org.virtiotck.tck.adapter.qtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * A scripted qtest server on a Unix socket: for each command line, the script returns the text to send back
 * (several lines allowed, null = stay silent forever). Serves one connection at a time.
 */
final class FakeQtestServer implements AutoCloseable {
    private final Path dir;
    private final Path socket;
    private final ServerSocketChannel server;
    private final Thread thread;
    private volatile SocketChannel current;

    FakeQtestServer(Function<String, String> script) throws IOException {
        dir = Files.createTempDirectory("fake-qtest");
        socket = dir.resolve("q.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = Thread.ofPlatform().daemon().name("fake-qtest").start(() -> serve(script));
    }

    Path socket() {
        return socket;
    }

    private void serve(Function<String, String> script) {
        try {
            while (server.isOpen()) {
                try (SocketChannel ch = server.accept()) {
                    current = ch;
                    BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch),
                            StandardCharsets.US_ASCII));
                    OutputStream out = Channels.newOutputStream(ch);
                    String line;
                    while ((line = in.readLine()) != null) {
                        String answer = script.apply(line);
                        if (answer == null) {
                            continue; // silent: the client must time out
                        }
                        out.write(answer.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                } catch (IOException e) {
                    // client went away; accept the next one
                }
            }
        } catch (RuntimeException e) {
            // server closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        SocketChannel c = current;
        if (c != null) {
            c.close();
        }
        thread.interrupt();
        Files.deleteIfExists(socket);
        Files.deleteIfExists(dir);
    }
}
