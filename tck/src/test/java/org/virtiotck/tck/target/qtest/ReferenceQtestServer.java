package org.virtiotck.tck.target.qtest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * The reference device behind a qtest server on a Unix socket, as an outside VMM would expose its device: the
 * register window at {@link #BASE}, the guest RAM of the in-process reference target, and an optional resize
 * command of its own ({@code myvmm_resize SECTORS}, answered {@code OK}). It can be told to stop answering after
 * a number of commands, as a hung endpoint would ({@link #silenceAfter}).
 */
final class ReferenceQtestServer implements AutoCloseable {
    static final long BASE = 0x0a003e00L;
    static final String RESIZE = "myvmm_resize";

    private final Target device;
    private final FakeQtestServer server;
    private final AtomicLong commands = new AtomicLong();
    private volatile long silenceAfter = Long.MAX_VALUE;
    private volatile long silentSince;

    ReferenceQtestServer() throws IOException {
        device = Targets.open("reference");
        server = new FakeQtestServer(this::answer);
    }

    /** Stops answering (forever, on every connection) once {@code n} commands have been answered. */
    void silenceAfter(long n) {
        silenceAfter = n;
    }

    /** When the server went silent ({@link System#nanoTime()}), or 0 while it answers. */
    long silentSince() {
        return silentSince;
    }

    long commands() {
        return commands.get();
    }

    /** A qtest: URI for this endpoint with {@code extra} options appended (e.g. {@code &timeout=1000}). */
    String uri(String extra) {
        MemoryWindow ram = device.ram();
        return "qtest:unix:" + socket() + "?base=0x" + Long.toHexString(BASE) + "&ram=0x" + Long.toHexString(ram.base())
                + "+" + ram.size() + extra;
    }

    Path socket() {
        return server.socket();
    }

    private synchronized String answer(String line) {
        if (commands.incrementAndGet() > silenceAfter) {
            if (silentSince == 0) {
                silentSince = System.nanoTime();
            }
            return null;
        }
        String[] w = line.strip().split(" ");
        try {
            return switch (w[0]) {
                case "readb", "readw", "readl", "readq" -> "OK 0x" + Long.toHexString(readRegister(w)) + "\n";
                case "writeb", "writew", "writel", "writeq" -> {
                    writeRegister(w);
                    yield "OK\n";
                }
                case "read", "b64read" -> {
                    byte[] b = new byte[(int) num(w[2])];
                    device.readMemory(num(w[1]), b, 0, b.length);
                    yield w[0].equals("read") ? "OK 0x" + HexFormat.of().formatHex(b) + "\n"
                            : "OK " + Base64.getEncoder().encodeToString(b) + "\n";
                }
                case "write", "b64write" -> {
                    byte[] b = w[0].equals("write") ? HexFormat.of().parseHex(w[3].substring(2))
                            : Base64.getDecoder().decode(w[3]);
                    device.writeMemory(num(w[1]), b, 0, b.length);
                    yield "OK\n";
                }
                case RESIZE -> {
                    device.host().orElseThrow().resizeCapacity(Long.parseLong(w[1]));
                    yield "OK\n";
                }
                default -> "FAIL Unknown command '" + w[0] + "'\n";
            };
        } catch (RuntimeException e) {
            return "FAIL " + e.getClass().getSimpleName() + "\n";
        }
    }

    private static long num(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseLong(s);
    }

    private static int width(String op) {
        return switch (op.charAt(op.length() - 1)) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'l' -> 4;
            default -> 8;
        };
    }

    private long readRegister(String[] w) {
        long addr = num(w[1]);
        int width = width(w[0]);
        if (addr >= BASE && addr < BASE + 0x1000) {
            return device.read(addr - BASE, width);
        }
        byte[] b = new byte[width];
        device.readMemory(addr, b, 0, width);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    private void writeRegister(String[] w) {
        long addr = num(w[1]);
        long value = num(w[2]);
        int width = width(w[0]);
        if (addr >= BASE && addr < BASE + 0x1000) {
            device.write(addr - BASE, width, value);
            return;
        }
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        device.writeMemory(addr, b, 0, width);
    }

    @Override
    public void close() throws IOException {
        server.close();
        device.close();
    }
}
