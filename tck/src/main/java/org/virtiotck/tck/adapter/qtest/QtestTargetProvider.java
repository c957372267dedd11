package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.SchemeProvider;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetFault;
import org.virtiotck.tck.spi.TargetProvider;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.spi.TargetUriException;

/**
 * {@code qtest:ENDPOINT?base=ADDR&ram=ADDR+SIZE[&irq=[out:]QOMPATH:N][&image=PATH][&timeout=MS]}: drives a
 * qtest server someone else started.
 *
 * <p>Endpoints:
 * <ul>
 *   <li>{@code unix:/path/to.sock} - connect to {@code -qtest unix:/path/to.sock,server=on}.</li>
 *   <li>{@code tcp:127.0.0.1:PORT} (or {@code localhost}, {@code [::1]}) - loopback only.</li>
 *   <li>{@code exec:COMMAND ARGS...} - start the command and speak qtest on its stdin/stdout (e.g. a QEMU
 *       with {@code -qtest stdio}); stderr is kept for crash reports. Percent-escapes are decoded.</li>
 * </ul>
 *
 * <p>{@code base} is the transport's guest-physical base, {@code ram} the guest RAM window the harness may
 * use, {@code irq} the QOM path whose gpio-in lines to intercept (e.g. {@code /machine/unattached/device[1]:47}
 * for the highest arm virt transport; see {@link QemuMachine}) - without it interrupts are polled.
 * {@code image} names the raw image behind the device so the kit can read the disk. {@code resize} names the
 * endpoint's own capacity-change command, e.g. {@code resize=myvmm_resize%20{sectors}}: {@code {sectors}} is
 * replaced by the new capacity, the line is sent over the qtest link and the reply must be {@code OK}; with it the
 * configuration-change tests run, without it they are skipped.
 *
 * <p>qtest has no machine reset, so a hard reset is a device reset only: it writes 0 to Status (after
 * reconnecting, or re-running the exec command, when the connection had failed).
 */
public final class QtestTargetProvider extends SchemeProvider implements TargetProvider {

    public QtestTargetProvider() {
        super("qtest",
                "qtest:unix:/PATH|tcp:127.0.0.1:PORT|exec:COMMAND?base=0x0a003e00&ram=0x40000000+256M"
                + "[&irq=[out:]QOMPATH:N][&image=PATH][&timeout=10000][&resize=CMD%20{sectors}] - an existing qtest endpoint");
    }

    @Override
    public Target open(TargetUri uri) {
        String path = uri.path();
        if (!uri.has("base")) {
            throw new TargetUriException("qtest target '" + uri + "' needs base=ADDRESS of the virtio-mmio transport");
        }
        long base = uri.longValue("base", 0);
        String ramText = uri.string("ram", null);
        String irqText = uri.string("irq", null);
        String image = uri.string("image", null);
        long timeout = uri.longValue("timeout", 10_000);
        String resize = uri.string("resize", null);
        uri.rejectUnknown();
        if (resize != null && (!resize.contains("{sectors}") || resize.contains("\n") || resize.isBlank())) {
            throw new TargetUriException("resize wants the endpoint's command with {sectors} in it, e.g. "
                    + "resize=myvmm_resize%20{sectors}; got '" + resize + "'");
        }
        if (ramText == null) {
            throw new TargetUriException("qtest target '" + uri + "' needs ram=ADDRESS+SIZE, e.g. ram=0x40000000+256M");
        }
        MemoryWindow ram = parseRam(ramText, uri);
        QemuMachine.IrqRoute irq = irqText == null ? null : parseIrq(irqText, uri);
        if (timeout < 10) {
            throw new TargetUriException("timeout must be at least 10 ms: " + timeout);
        }
        Path imagePath = null;
        if (image != null) {
            imagePath = Path.of(image).toAbsolutePath();
            if (!Files.isRegularFile(imagePath)) {
                throw new TargetUriException("image=" + image + " is not a file");
            }
        }
        Endpoint ep = parseEndpoint(path, uri);
        return new QtestTarget(uri.toString(), new ConnectBackend(ep, base, ram, irq, imagePath, timeout, resize));
    }

    /** Where the qtest server is. */
    public record Endpoint(SocketAddress address, List<String> command, String text) {
    }

    public static Endpoint parseEndpoint(String path, TargetUri uri) {
        if (path.startsWith("unix:")) {
            String p = path.substring(5);
            if (p.isEmpty()) {
                throw new TargetUriException(uri.scheme() + ":unix: needs a socket path, e.g. " + uri.scheme() + ":unix:/tmp/serial.sock");
            }
            return new Endpoint(UnixDomainSocketAddress.of(p), null, path);
        }
        if (path.startsWith("tcp:")) {
            String hp = path.substring(4);
            int colon = hp.lastIndexOf(':');
            if (colon <= 0) {
                throw new TargetUriException(uri.scheme() + ":tcp: needs HOST:PORT, e.g. " + uri.scheme() + ":tcp:127.0.0.1:4444 (got '" + hp + "')");
            }
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new TargetUriException("bad TCP port in '" + uri + "'");
            }
            if (port <= 0 || port > 65535) {
                throw new TargetUriException("bad TCP port " + port + " in '" + uri + "'");
            }
            InetAddress addr = loopback(host, uri);
            return new Endpoint(new InetSocketAddress(addr, port), null, path);
        }
        if (path.startsWith("exec:")) {
            String cmd = URLDecoder.decode(path.substring(5).replace("+", "%2B"), StandardCharsets.UTF_8).strip();
            if (cmd.isEmpty()) {
                throw new TargetUriException(uri.scheme() + ":exec: needs a command, e.g. " + uri.scheme() + ":exec:qemu-system-aarch64 ...");
            }
            return new Endpoint(null, List.of(cmd.split("\\s+")), path);
        }
        throw new TargetUriException(uri.scheme() + " target '" + uri + "' needs an endpoint: " + uri.scheme()
                + ":unix:/PATH, " + uri.scheme() + ":tcp:127.0.0.1:PORT or " + uri.scheme() + ":exec:COMMAND");
    }

    /** Accepts literal loopback addresses and "localhost" only: qtest gives full control of the machine. */
    private static InetAddress loopback(String host, TargetUri uri) {
        boolean literal = host.matches("[0-9.]+") || host.contains(":");
        if (!literal && !host.equalsIgnoreCase("localhost")) {
            throw new TargetUriException(uri.scheme() + ":tcp: only connects to the loopback interface (127.0.0.1, ::1, "
                    + "localhost); '" + host + "' is not allowed in '" + uri + "'");
        }
        try {
            InetAddress a = InetAddress.getByName(host);
            if (!a.isLoopbackAddress()) {
                throw new TargetUriException(uri.scheme() + ":tcp: only connects to the loopback interface; " + host
                        + " is not a loopback address (in '" + uri + "')");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new TargetUriException("bad host '" + host + "' in '" + uri + "'");
        }
    }

    public static MemoryWindow parseRam(String text, TargetUri uri) {
        // '+' arrives as ' ' when the URI was percent-decoded; ':' is accepted too
        int plus = -1;
        for (int i = 1; i < text.length() && plus < 0; i++) {
            char ch = text.charAt(i);
            if (ch == '+' || ch == ' ' || ch == ':') {
                plus = i;
            }
        }
        if (plus <= 0 || plus == text.length() - 1) {
            throw new TargetUriException("ram wants ADDRESS+SIZE, e.g. ram=0x40000000+256M; got '" + text + "'");
        }
        long base = number(text.substring(0, plus), "ram address", uri);
        long size = number(text.substring(plus + 1), "ram size", uri);
        if (size <= 0) {
            throw new TargetUriException("ram size must be positive in '" + uri + "'");
        }
        return new MemoryWindow(base, size);
    }

    static QemuMachine.IrqRoute parseIrq(String text, TargetUri uri) {
        boolean out = false;
        String t = text;
        if (t.startsWith("out:")) {
            out = true;
            t = t.substring(4);
        } else if (t.startsWith("in:")) {
            t = t.substring(3);
        }
        int colon = t.lastIndexOf(':');
        if (colon <= 0 || colon == t.length() - 1) {
            throw new TargetUriException("irq wants [out:]QOMPATH:LINE, e.g. irq=/machine/unattached/device[1]:47;"
                    + " got '" + text + "' in '" + uri + "'");
        }
        String qom = t.substring(0, colon);
        if (qom.chars().anyMatch(Character::isWhitespace)) {
            throw new TargetUriException("irq QOM path must not contain spaces: '" + qom + "'");
        }
        long line = number(t.substring(colon + 1), "irq line", uri);
        if (line < 0 || line > 255) {
            throw new TargetUriException("irq line must be 0..255 (qtest tracks 256 lines): " + line);
        }
        return new QemuMachine.IrqRoute(qom, out, (int) line);
    }

    private static long number(String s, String what, TargetUri uri) {
        try {
            return TargetUri.parseNumber(s.strip().replace("_", ""));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TargetUriException(what + " wants a number, got '" + s + "' in '" + uri + "'");
        }
    }

    /** Connects (or re-runs the command) and checks the transport. */
    static final class ConnectBackend extends QtestTarget.Backend {
        private final Endpoint ep;
        private final long base;
        private final MemoryWindow ram;
        private final QemuMachine.IrqRoute irq;
        private final Path image;
        private final long timeout;
        private final String resize;
        private Path stderrDir;
        private int starts;

        ConnectBackend(Endpoint ep, long base, MemoryWindow ram, QemuMachine.IrqRoute irq, Path image, long timeout,
                       String resize) {
            this.resize = resize;
            this.ep = ep;
            this.base = base;
            this.ram = ram;
            this.irq = irq;
            this.image = image;
            this.timeout = timeout;
        }

        @Override
        protected QtestTarget.Session start() {
            QtestLink link;
            try {
                if (ep.command() != null) {
                    if (stderrDir == null) {
                        stderrDir = Files.createTempDirectory("virtio-qtest-exec");
                    }
                    link = ProcessLink.start(ep.command(), stderrDir.resolve("stderr" + (++starts) + ".txt"));
                } else {
                    link = SocketLink.connect(ep.address());
                }
            } catch (IOException e) {
                throw new TargetFault(TargetFault.Kind.CRASHED, "cannot reach qtest endpoint " + ep.text() + ": " + e, e);
            }
            QtestConnection conn = new QtestConnection(link, timeout);
            try {
                conn.expectTransport(ram.base(), base, "");
                if (irq != null) {
                    conn.interceptIrq(irq.path(), irq.out());
                }
                Map<String, String> details = new LinkedHashMap<>();
                details.put("endpoint", ep.text());
                details.put("ram", ram.toString());
                if (image != null) {
                    details.put("image", image.toString());
                }
                if (resize != null) {
                    details.put("resize command", resize);
                }
                return new QtestTarget.Session(conn, base, ram, irq, null, details);
            } catch (RuntimeException e) {
                conn.close();
                throw e;
            }
        }

        @Override
        protected boolean restartsOnReset() {
            return false;
        }

        @Override
        protected boolean restartable() {
            return ep.command() != null;
        }

        @Override
        protected String resizeCommand() {
            return resize;
        }

        @Override
        protected String name(QtestTarget.Session s) {
            return "qtest endpoint " + ep.text();
        }

        @Override
        protected String version() {
            return "unknown";
        }

        @Override
        protected Path image() {
            return image;
        }

        @Override
        protected void cleanup() {
            TempDirs.deleteTree(stderrDir);
        }
    }
}
