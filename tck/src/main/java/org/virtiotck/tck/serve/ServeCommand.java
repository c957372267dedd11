package org.virtiotck.tck.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.Targets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code virtio-tck serve --target URI --qtest unix:/PATH|tcp:127.0.0.1:PORT|stdio}: exposes an in-process target
 * (the reference device first) as a qtest endpoint, so any qtest client (the kit's {@code qtest:} adapter, a
 * fuzzer, another project's test harness in any language) can drive it like a QEMU started with {@code -qtest}.
 * On a socket, every connection gets a fresh target (so a reconnect is a power cycle); connections are served one
 * at a time. Exit codes: 0 when the input ends (stdio) or after {@code --once}; 2 on a usage or environment error.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve an in-process target (e.g. the reference device) as a qtest endpoint.")
public final class ServeCommand implements Callable<Integer> {
    /** Where the transport sits by default: slot 31 of QEMU's arm virt machine, like qemu:aarch64-virt. */
    static final long DEFAULT_BASE = 0x0a003e00L;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--target", required = true, description = "in-process target URI, e.g. reference, reference:legacy")
    String target;

    @Option(names = "--qtest", required = true, description = "unix:/PATH, tcp:127.0.0.1:PORT (loopback only) or stdio")
    String endpoint;

    @Option(names = "--complete-after-ms", description = "complete requests asynchronously, this long after the "
            + "notification (default 0: at once)")
    long completeAfterMs;

    @Option(names = "--base", description = "guest-physical base of the transport (default 0x0a003e00)")
    String baseText;

    @Option(names = "--irq-line", description = "line number in IRQ raise/lower messages (default 47, as on arm virt)")
    int irqLine = 47;

    @Option(names = "--once", description = "exit after the first connection ends (sockets)")
    boolean once;

    @Override
    public Integer call() throws Exception {
        if (completeAfterMs < 0 || completeAfterMs > 60_000) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--complete-after-ms must be 0..60000");
        }
        long base;
        try {
            base = baseText == null ? DEFAULT_BASE : QtestSession.num(baseText);
            TargetUri.parse(target);
        } catch (RuntimeException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        // Opens one target up front: a bad URI is a usage error before anything listens.
        Target first = Targets.open(target);
        PrintStream log = System.err;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                r -> Thread.ofPlatform().daemon().name("serve-completions").unstarted(r));
        try {
            if (endpoint.equals("stdio")) {
                log.println("[serve] " + first.info().name() + " on stdio; " + clientHint("exec:COMMAND", first, base));
                serveOne(first, System.in, System.out, base, timer);
                return 0;
            }
            SocketAddress addr = listenAddress(endpoint);
            boolean unix = addr instanceof UnixDomainSocketAddress;
            try (ServerSocketChannel server = ServerSocketChannel.open(unix ? StandardProtocolFamily.UNIX
                    : StandardProtocolFamily.INET)) {
                if (unix) {
                    Files.deleteIfExists(((UnixDomainSocketAddress) addr).getPath());
                }
                server.bind(addr);
                Path sock = unix ? ((UnixDomainSocketAddress) addr).getPath() : null;
                if (sock != null) {
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                        try {
                            Files.deleteIfExists(sock);
                        } catch (IOException ignored) {
                            // best effort
                        }
                    }));
                }
                log.println("[serve] " + first.info().name() + " on " + endpoint + "; " + clientHint(endpoint, first,
                        base));
                Target t = first;
                for (;;) {
                    try (SocketChannel ch = server.accept()) {
                        if (t == null) {
                            t = Targets.open(target); // a fresh device per connection
                        }
                        serveOne(t, Channels.newInputStream(ch), Channels.newOutputStream(ch), base, timer);
                    } catch (IOException e) {
                        log.println("[serve] connection ended: " + e.getMessage());
                    } finally {
                        if (t != null) {
                            t.close();
                            t = null;
                        }
                    }
                    if (once) {
                        return 0;
                    }
                }
            }
        } finally {
            timer.shutdownNow();
        }
    }

    private void serveOne(Target t, InputStream in, OutputStream out, long base, ScheduledExecutorService timer)
            throws IOException {
        try {
            new QtestSession(t, base, irqLine, completeAfterMs, timer).serve(in, out);
        } finally {
            if (endpoint.equals("stdio")) {
                t.close();
            }
        }
    }

    private String clientHint(String ep, Target t, long base) {
        return String.format("drive it with --target 'qtest:%s?base=0x%x&ram=0x%x+%d&irq=/machine/unattached/"
                + "device[1]:%d'", ep, base, t.ram().base(), t.ram().size(), irqLine);
    }

    /** unix:/PATH or tcp:HOST:PORT on a loopback address only (qtest gives full control of the device). */
    static SocketAddress listenAddress(String ep) {
        if (ep.startsWith("unix:") && ep.length() > 5) {
            return UnixDomainSocketAddress.of(ep.substring(5));
        }
        if (ep.startsWith("tcp:")) {
            String hp = ep.substring(4);
            int colon = hp.lastIndexOf(':');
            if (colon > 0) {
                try {
                    InetAddress a = InetAddress.getByName(hp.substring(0, colon).replace("[", "").replace("]", ""));
                    int port = Integer.parseInt(hp.substring(colon + 1));
                    if (!a.isLoopbackAddress()) {
                        throw new IllegalArgumentException("--qtest tcp: listens on loopback addresses only, not "
                                + a.getHostAddress());
                    }
                    return new InetSocketAddress(a, port);
                } catch (IOException | NumberFormatException e) {
                    throw new IllegalArgumentException("bad --qtest endpoint '" + ep + "': " + e.getMessage());
                }
            }
        }
        throw new IllegalArgumentException("--qtest wants unix:/PATH, tcp:127.0.0.1:PORT or stdio, got '" + ep + "'");
    }
}
