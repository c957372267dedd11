package org.virtiotck.tck.serve;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.MemoryWindow;
import org.virtiotck.tck.spi.Target;

/**
 * One qtest conversation with one in-process {@link Target}: the line protocol QEMU speaks on {@code -qtest}
 * (readb/w/l/q, writeb/w/l/q, read/write with hex, b64read/b64write, memset, irq_intercept_in/out, and
 * harmless answers to clock_step, clock_set and endianness), each command answered by one "OK ..." or
 * "FAIL ..." line. The transport sits at {@code base} (a 0x200-byte window); guest RAM is the target's RAM
 * window; other addresses read 0 and ignore writes, like unassigned memory.
 *
 * <p>Interrupts: once the client intercepts a line, every change of the target's interrupt level is sent as
 * "IRQ raise N" / "IRQ lower N" (before the answer of the command that caused it, or when a deferred completion
 * changes it).
 *
 * <p>Asynchronous completion ({@code completeAfterMillis > 0}): a QueueNotify write is answered at once but
 * handed to the device only after the delay, on another thread, the way a device with a real backend completes
 * requests some time after the notification. A device reset (Status 0) first hands over every notification
 * still waiting, as QEMU drains in-flight requests before it resets a virtio-blk device.
 */
final class QtestSession {
    static final int WINDOW = 0x200;

    private final Target target;
    private final long base;
    private final int irqLine;
    private final long completeAfterMillis;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private final List<Deferred> deferred = new ArrayList<>();
    private final MemoryWindow ram;
    private OutputStream out;
    private boolean intercepted;
    private boolean reportedLevel;

    /** A notification not handed to the device yet. */
    private static final class Deferred {
        final long value;
        boolean done;

        Deferred(long value) {
            this.value = value;
        }
    }

    QtestSession(Target target, long base, int irqLine, long completeAfterMillis, ScheduledExecutorService timer) {
        this.target = target;
        this.base = base;
        this.irqLine = irqLine;
        this.completeAfterMillis = completeAfterMillis;
        this.timer = timer;
        this.ram = target.ram();
    }

    /** Serves commands until the input ends. */
    void serve(InputStream in, OutputStream output) throws IOException {
        this.out = output;
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
        String line;
        while ((line = r.readLine()) != null) {
            String answer;
            synchronized (lock) {
                try {
                    answer = handle(line.strip());
                } catch (RuntimeException e) {
                    answer = "FAIL " + oneLine(e);
                }
                emitIrq();
                out.write((answer + "\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        }
        synchronized (lock) {
            for (Deferred d : deferred) {
                d.done = true;
            }
            deferred.clear();
        }
    }

    /** The bytes a memory write command carries: hex ({@code write}), Base64, or {@code size} copies of a byte. */
    private static byte[] payload(String cmd, String arg, int size) {
        return switch (cmd) {
            case "write" -> {
                String hex = arg.startsWith("0x") ? arg.substring(2) : arg;
                yield HexFormat.of().parseHex(hex.length() % 2 == 0 ? hex : "0" + hex);
            }
            case "b64write" -> Base64.getDecoder().decode(arg);
            default -> {
                byte[] data = new byte[size];
                java.util.Arrays.fill(data, (byte) num(arg));
                yield data;
            }
        };
    }

    private String handle(String line) {
        if (line.isEmpty()) {
            return "FAIL empty command";
        }
        String[] w = line.split("\\s+");
        String cmd = w[0];
        switch (cmd) {
            case "readb", "readw", "readl", "readq" -> {
                need(w, 2);
                return String.format("OK 0x%016x", readValue(num(w[1]), width(cmd.charAt(4))));
            }
            case "writeb", "writew", "writel", "writeq" -> {
                need(w, 3);
                writeValue(num(w[1]), width(cmd.charAt(5)), num(w[2]));
                return "OK";
            }
            case "read", "b64read" -> {
                need(w, 3);
                byte[] data = readBytes(num(w[1]), size(w[2]));
                return cmd.equals("read") ? "OK 0x" + HexFormat.of().formatHex(data)
                        : "OK " + Base64.getEncoder().encodeToString(data);
            }
            case "write", "b64write", "memset" -> {
                need(w, 4);
                writeBytes(num(w[1]), payload(cmd, w[3], size(w[2])), size(w[2]));
                return "OK";
            }
            case "irq_intercept_in", "irq_intercept_out" -> {
                need(w, 2);
                intercepted = true;
                reportedLevel = false;
                return "OK";
            }
            case "clock_step" -> {
                return "OK 0";
            }
            case "clock_set" -> {
                need(w, 2);
                return "OK " + num(w[1]);
            }
            case "endianness" -> {
                return "OK little";
            }
            default -> {
                return "FAIL Unknown command '" + cmd + "'";
            }
        }
    }

    // ------------------------------------------------------------------------------------------ accesses

    private long readValue(long addr, int width) {
        if (inWindow(addr, width)) {
            return target.read(addr - base, width);
        }
        byte[] b = readBytes(addr, width);
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xff);
        }
        return v;
    }

    private void writeValue(long addr, int width, long value) {
        if (inWindow(addr, width)) {
            long off = addr - base;
            if (off == MmioRegister.QUEUE_NOTIFY && width == 4 && completeAfterMillis > 0) {
                defer(value);
            } else {
                if (off == MmioRegister.STATUS && value == 0) {
                    drain(); // a reset finishes what was in flight first
                }
                target.write(off, width, value);
            }
            return;
        }
        byte[] b = new byte[width];
        for (int i = 0; i < width; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        writeBytes(addr, b, width);
    }

    private boolean inWindow(long addr, int len) {
        return Long.compareUnsigned(addr - base, WINDOW) < 0 && Long.compareUnsigned(addr - base + len, WINDOW) <= 0;
    }

    /** Guest RAM; bytes outside the RAM window read 0. */
    private byte[] readBytes(long addr, int len) {
        byte[] b = new byte[len];
        if (ram.contains(addr, len)) {
            target.readMemory(addr, b, 0, len);
        }
        return b;
    }

    /** Writes {@code len} bytes: {@code data}, zero-padded when shorter (qtest's write and b64write). */
    private void writeBytes(long addr, byte[] data, int len) {
        if (ram.contains(addr, len)) {
            target.writeMemory(addr, data.length >= len ? data : java.util.Arrays.copyOf(data, len), 0, len);
        }
    }

    // ------------------------------------------------------------------------------------------ asynchronous completion

    private void defer(long value) {
        Deferred d = new Deferred(value);
        deferred.add(d);
        timer.schedule(() -> {
            synchronized (lock) {
                if (!d.done) {
                    d.done = true;
                    deferred.remove(d);
                    target.write(MmioRegister.QUEUE_NOTIFY, 4, d.value);
                    try {
                        emitIrq();
                        out.flush();
                    } catch (IOException e) {
                        // the client went away; the conversation ends on its own
                    }
                }
            }
        }, completeAfterMillis, TimeUnit.MILLISECONDS);
    }

    /** Hands every waiting notification to the device now, in order. */
    private void drain() {
        for (Deferred d : deferred) {
            if (!d.done) {
                d.done = true;
                target.write(MmioRegister.QUEUE_NOTIFY, 4, d.value);
            }
        }
        deferred.clear();
    }

    private void emitIrq() throws IOException {
        if (!intercepted) {
            return;
        }
        InterruptObserver irq = target.interrupts().orElse(null);
        if (irq == null) {
            return;
        }
        boolean level = irq.asserted();
        if (level != reportedLevel) {
            reportedLevel = level;
            out.write(("IRQ " + (level ? "raise " : "lower ") + irqLine + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    // ------------------------------------------------------------------------------------------ parsing

    private static void need(String[] w, int n) {
        if (w.length < n) {
            throw new IllegalArgumentException("'" + w[0] + "' needs " + (n - 1) + " argument(s)");
        }
    }

    private static int width(char c) {
        return switch (c) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'l' -> 4;
            default -> 8;
        };
    }

    static long num(String s) {
        String t = s.toLowerCase(Locale.ROOT);
        return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseUnsignedLong(t);
    }

    private static int size(String s) {
        long n = num(s);
        if (n < 0 || n > (16 << 20)) {
            throw new IllegalArgumentException("size out of range: " + s);
        }
        return (int) n;
    }

    private static String oneLine(Throwable t) {
        String m = t.getMessage();
        return (m == null ? t.getClass().getSimpleName() : m).lines().findFirst().orElse("error");
    }
}
