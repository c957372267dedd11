package org.virtiotck.tck.adapter.qtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.TargetFault;

/**
 * The qtest line protocol over one {@link QtestLink}: commands go out as text lines, each answered by one
 * "OK ...", "FAIL ..." or "ERR ..." line; "IRQ raise N" / "IRQ lower N" lines may arrive at any point in
 * between and are handed to an {@link IrqListener}.
 *
 * <h2>Design: the caller reads its own answer</h2>
 * There is no reader thread. The calling thread formats the command into a reused buffer
 * ({@link QtestCommandBuffer}), writes it with one system call, then reads and parses lines itself until its
 * answer arrives, routing any IRQ line it meets on the way. This costs nothing beyond the two system calls a raw ping loop makes, so register round trips run
 * at (nearly) the raw qtest rate. IRQ lines that arrive while nobody is calling simply wait in the stream
 * until the next call, or until {@link #sync()} (a harmless ping) reads them; since the device can only
 * raise its line once before the driver acknowledges it, the unread backlog stays a few lines long.
 *
 * <h2>Bounded calls</h2>
 * Every call stamps a deadline into a volatile field. A watchdog thread (one per connection, mostly parked)
 * checks it periodically; when a call overruns, the watchdog records a HUNG fault and aborts the link (kills
 * the child, closes the socket), which makes the blocked read or write return so the caller throws that
 * fault. End of stream is a CRASHED fault (with the child's exit status and stderr tail); an answer that is
 * not an answer is a PROTOCOL fault. After any fault the connection is dead: every later call throws at once.
 */
public final class QtestConnection {

    /** Receives the intercepted interrupt lines. */
    interface IrqListener {
        void irq(int line, boolean raised);
    }

    private static final Base64.Decoder B64D = Base64.getDecoder();
    /** Largest answer line accepted (a b64read of a 1 MiB chunk is ~1.4 MB). */
    private static final int MAX_LINE = 8 << 20;
    /** Payload bytes per b64read/b64write (or read/write) command. */
    static final int CHUNK = 48 * 1024;

    private final QtestLink link;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile IrqListener irqListener;

    private byte[] rbuf = new byte[64 * 1024];
    private int rpos;
    private int rlim;
    private int lineStart;
    private int lineEnd;

    private final QtestCommandBuffer out = new QtestCommandBuffer();

    /** Deadline (System.nanoTime) of the call in progress; meaningful only while {@link #busy}. */
    private volatile long deadline;
    private volatile boolean busy;
    private volatile TargetFault fault;
    private volatile String faultText;
    private volatile boolean closed;
    private final Thread watchdog;

    /** Whether b64read/b64write are understood (else read/write with hex). */
    private boolean base64 = true;
    /** Address used by {@link #sync()}; reading it must have no side effect (guest RAM). */
    private long pingAddress;

    public QtestConnection(QtestLink link, long timeoutMillis) {
        this.link = link;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long interval = Math.clamp(timeoutNanos / 20, TimeUnit.MILLISECONDS.toNanos(5),
                TimeUnit.MILLISECONDS.toNanos(250));
        this.watchdog = Thread.ofPlatform().daemon().name("qtest-watchdog " + link.describe())
                .unstarted(() -> watch(interval));
        this.watchdog.start();
    }

    public QtestLink link() {
        return link;
    }

    void setIrqListener(IrqListener listener) {
        this.irqListener = listener;
    }

    public void setPingAddress(long address) {
        this.pingAddress = address;
    }

    boolean base64() {
        return base64;
    }

    /** Uses hex read/write for guest memory even when b64 works (for tests of the fallback). */
    void forceHex() {
        base64 = false;
    }

    long timeoutMillis() {
        return TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
    }

    /** The fault that ended this connection, or null while it is healthy. */
    public TargetFault fault() {
        return fault;
    }

    // ------------------------------------------------------------------------------------------------
    // Public operations

    /** readb/readw/readl/readq. */
    public long read(long address, int width) {
        lock.lock();
        try {
            begin();
            out.clear();
            out.registerRead(width, address);
            flushCommand();
            expectOk();
            return parseOkValue();
        } finally {
            end();
            lock.unlock();
        }
    }

    /** writeb/writew/writel/writeq. */
    public void write(long address, int width, long value) {
        lock.lock();
        try {
            begin();
            out.clear();
            out.registerWrite(width, address, value);
            flushCommand();
            expectOk();
        } finally {
            end();
            lock.unlock();
        }
    }

    /** A harmless round trip that also reads every IRQ line QEMU sent before it. */
    void sync() {
        read(pingAddress, 1);
    }

    /** Sends one raw command line and returns the answer line (OK/FAIL/ERR ...), for probes and extensions. */
    public String command(String line) {
        lock.lock();
        try {
            begin();
            out.clear();
            out.line(line);
            flushCommand();
            nextAnswer();
            return new String(rbuf, lineStart, lineEnd - lineStart, StandardCharsets.US_ASCII);
        } finally {
            end();
            lock.unlock();
        }
    }

    /** Probes whether b64read works; falls back to hex read/write when the server does not know it. */
    public void probeBase64(long address) {
        String answer = command("b64read 0x" + Long.toHexString(address) + " 1");
        if (answer.startsWith("OK")) {
            base64 = true;
        } else if (answer.startsWith("FAIL")) {
            base64 = false;
        } else {
            throw protocol("unexpected answer to b64read probe: " + clip(answer));
        }
    }

    /**
     * Readies a fresh connection to the device at {@code base} whose guest RAM starts at {@code ramBase}: pings go
     * to the RAM, the memory encoding is probed, and MagicValue must read "virt".
     *
     * @param via words that end the error message, e.g. " through the agent", or ""
     * @throws TargetFault PROTOCOL when no virtio-mmio transport answers at {@code base}
     */
    public void expectTransport(long ramBase, long base, String via) {
        setPingAddress(ramBase);
        probeBase64(ramBase);
        long magic = read(base + MmioRegister.MAGIC_VALUE, 4);
        if (magic != MmioRegister.MAGIC) {
            throw new TargetFault(TargetFault.Kind.PROTOCOL, String.format(
                    "no virtio-mmio transport at base 0x%x: MagicValue reads 0x%x%s", base, magic, via));
        }
    }

    void readMemory(long gpa, byte[] dst, int off, int len) {
        inBatches(len, (p, n) -> out.memoryRead(base64, gpa + p, n), (p, n) -> {
            if (base64) {
                decodeB64Answer(dst, off + p, n);
            } else {
                decodeHexAnswer(dst, off + p, n);
            }
        });
    }

    void writeMemory(long gpa, byte[] src, int off, int len) {
        inBatches(len, (p, n) -> out.memoryWrite(base64, gpa + p, src, off + p, n), (p, n) -> { });
    }

    /** What is done with the chunk at offset {@code p}, {@code n} bytes long, of a guest-memory transfer. */
    private interface ChunkStep {
        void at(int p, int n);
    }

    /**
     * A guest-memory transfer of {@code len} bytes in chunks of {@link #CHUNK}: up to 1 MiB of chunk commands
     * pipelined in one write per timeout window, then their answers read in order.
     */
    private void inBatches(int len, ChunkStep command, ChunkStep answer) {
        if (len == 0) {
            return;
        }
        lock.lock();
        try {
            int done = 0;
            while (done < len) {
                int batchEnd = (int) Math.min(len, (long) done + (1 << 20));
                begin();
                out.clear();
                for (int p = done; p < batchEnd; p += CHUNK) {
                    command.at(p, Math.min(CHUNK, batchEnd - p));
                }
                flushCommand();
                for (int p = done; p < batchEnd; p += CHUNK) {
                    expectOk();
                    answer.at(p, Math.min(CHUNK, batchEnd - p));
                }
                end();
                done = batchEnd;
            }
        } finally {
            end();
            lock.unlock();
        }
    }

    /** Intercepts the gpio-in (or gpio-out) lines of the device at {@code qomPath}. */
    void interceptIrq(String qomPath, boolean out) {
        String answer = command((out ? "irq_intercept_out " : "irq_intercept_in ") + qomPath);
        if (!answer.startsWith("OK")) {
            throw protocol("cannot intercept interrupts of '" + qomPath + "': " + clip(answer));
        }
    }

    /** Aborts the link and stops the watchdog. Never throws. */
    public void close() {
        closed = true;
        if (fault == null) {
            faultText = "connection closed";
            fault = new TargetFault(TargetFault.Kind.CRASHED, "target was closed");
        }
        LockSupport.unpark(watchdog);
        link.close();
    }

    // ------------------------------------------------------------------------------------------------
    // Call framing and faults

    private void begin() {
        TargetFault f = fault;
        if (f != null) {
            throw again(f);
        }
        deadline = System.nanoTime() + timeoutNanos;
        busy = true;
    }

    private void end() {
        busy = false;
    }

    private TargetFault again(TargetFault f) {
        return new TargetFault(f.kind(), "target already failed earlier (hardReset restarts it): " + faultText, f);
    }

    private void watch(long intervalNanos) {
        while (!closed && fault == null) {
            LockSupport.parkNanos(intervalNanos);
            if (busy && System.nanoTime() - deadline > 0 && !closed) {
                String cmd = lastCommand();
                fail(new TargetFault(TargetFault.Kind.HUNG, "no answer from " + link.describe() + " within "
                        + timeoutMillis() + " ms to '" + cmd + "'"), "no answer within " + timeoutMillis()
                        + " ms to '" + cmd + "'");
            }
        }
    }

    private String lastCommand() {
        return out.firstLine();
    }

    /** Records the first fault and aborts the link; returns the recorded fault. */
    private synchronized TargetFault fail(TargetFault f, String text) {
        if (fault == null) {
            faultText = text;
            fault = f;
            link.abort();
        }
        return fault;
    }

    private TargetFault protocol(String what) {
        return fail(new TargetFault(TargetFault.Kind.PROTOCOL, what + " (from " + link.describe() + ")"), what);
    }

    private TargetFault ioFailure(IOException e) {
        TargetFault f = fault;
        if (f != null) {
            return f;
        }
        String end = link.describeEnd();
        return fail(new TargetFault(TargetFault.Kind.CRASHED, link.describe() + " ended: " + end, e), end);
    }

    // ------------------------------------------------------------------------------------------------
    // Writing

    private void flushCommand() {
        try {
            link.write(out.bytes(), 0, out.length());
        } catch (IOException e) {
            throw ioFailure(e);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Reading

    /** Reads lines until an answer line (OK/FAIL/ERR); IRQ lines on the way go to the listener. */
    private void nextAnswer() {
        for (;;) {
            nextLine();
            int n = lineEnd - lineStart;
            byte c0 = n > 0 ? rbuf[lineStart] : 0;
            if (c0 == 'O' && n >= 2 && rbuf[lineStart + 1] == 'K' && (n == 2 || rbuf[lineStart + 2] == ' ')) {
                return;
            }
            if (c0 == 'I' && n > 4 && rbuf[lineStart + 1] == 'R' && rbuf[lineStart + 2] == 'Q'
                    && rbuf[lineStart + 3] == ' ') {
                irqLine();
                continue;
            }
            if (startsWith("FAIL") || startsWith("ERR")) {
                return;
            }
            String unexpected = currentLine();
            if (link.endsWithin(500)) {
                // e.g. glib's "Bail out! ERROR: ... assertion failed" printed on stdout just before abort()
                String end = link.describeEnd();
                throw fail(new TargetFault(TargetFault.Kind.CRASHED, link.describe() + " ended: " + end
                        + "\nlast line on the qtest stream: " + unexpected), end);
            }
            throw protocol("unexpected line " + clip(unexpected));
        }
    }

    private void expectOk() {
        nextAnswer();
        if (rbuf[lineStart] != 'O') {
            throw protocol("command '" + lastCommand() + "' failed: " + clip(currentLine()));
        }
    }

    private boolean startsWith(String prefix) {
        int n = prefix.length();
        if (lineEnd - lineStart < n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (rbuf[lineStart + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private String currentLine() {
        return new String(rbuf, lineStart, Math.min(lineEnd - lineStart, 200), StandardCharsets.US_ASCII);
    }

    private static String clip(String s) {
        return "'" + (s.length() > 120 ? s.substring(0, 120) + "..." : s) + "'";
    }

    private void irqLine() {
        // "IRQ raise N" or "IRQ lower N"
        boolean raise;
        int p;
        if (startsWithAt(lineStart + 4, "raise ")) {
            raise = true;
            p = lineStart + 10;
        } else if (startsWithAt(lineStart + 4, "lower ")) {
            raise = false;
            p = lineStart + 10;
        } else {
            throw protocol("malformed IRQ line " + clip(currentLine()));
        }
        if (p >= lineEnd) {
            throw protocol("malformed IRQ line " + clip(currentLine()));
        }
        int n = 0;
        for (; p < lineEnd; p++) {
            int d = rbuf[p] - '0';
            if (d < 0 || d > 9 || n > 100_000) {
                throw protocol("malformed IRQ line " + clip(currentLine()));
            }
            n = n * 10 + d;
        }
        IrqListener l = irqListener;
        if (l != null) {
            l.irq(n, raise);
        }
    }

    private boolean startsWithAt(int at, String s) {
        if (lineEnd - at < s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (rbuf[at + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Parses "OK 0xHEX". */
    private long parseOkValue() {
        int p = lineStart + 3;
        if (lineEnd - lineStart < 5 || rbuf[p] != '0' || (rbuf[p + 1] != 'x' && rbuf[p + 1] != 'X')) {
            throw protocol("expected 'OK 0x<value>', got " + clip(currentLine()));
        }
        p += 2;
        if (lineEnd - p > 16 || p >= lineEnd) {
            throw protocol("bad value in " + clip(currentLine()));
        }
        long v = 0;
        for (; p < lineEnd; p++) {
            int d = hexDigit(rbuf[p]);
            if (d < 0) {
                throw protocol("bad value in " + clip(currentLine()));
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** The value of one ASCII hex digit, or -1. */
    private static int hexDigit(byte c) {
        return Character.digit(c & 0xff, 16);
    }

    private void decodeB64Answer(byte[] dst, int off, int n) {
        int start = lineStart + 3;
        if (lineEnd - lineStart < 3) {
            throw protocol("b64read answer without data: " + clip(currentLine()));
        }
        ByteBuffer decoded;
        try {
            decoded = B64D.decode(ByteBuffer.wrap(rbuf, start, lineEnd - start));
        } catch (IllegalArgumentException e) {
            throw protocol("b64read answer is not base64: " + clip(currentLine()));
        }
        if (decoded.remaining() != n) {
            throw protocol("b64read answered " + decoded.remaining() + " bytes, asked for " + n);
        }
        decoded.get(dst, off, n);
    }

    private void decodeHexAnswer(byte[] dst, int off, int n) {
        int p = lineStart + 5; // "OK 0x"
        if (lineEnd - p != 2 * n || rbuf[lineStart + 3] != '0' || rbuf[lineStart + 4] != 'x') {
            throw protocol("read answered " + clip(currentLine()) + " for " + n + " bytes");
        }
        for (int i = 0; i < n; i++) {
            int hi = hexDigit(rbuf[p++]);
            int lo = hexDigit(rbuf[p++]);
            if (hi < 0 || lo < 0) {
                throw protocol("bad hex in read answer");
            }
            dst[off + i] = (byte) (hi << 4 | lo);
        }
    }

    /** Sets lineStart/lineEnd to the next complete line (without the newline). */
    private void nextLine() {
        int scan = rpos;
        for (;;) {
            byte[] b = rbuf;
            for (int i = scan; i < rlim; i++) {
                if (b[i] == '\n') {
                    lineStart = rpos;
                    lineEnd = i > rpos && b[i - 1] == '\r' ? i - 1 : i;
                    rpos = i + 1;
                    return;
                }
            }
            scan = rlim;
            if (rpos > 0) {
                System.arraycopy(rbuf, rpos, rbuf, 0, rlim - rpos);
                scan -= rpos;
                rlim -= rpos;
                rpos = 0;
            }
            if (rlim == rbuf.length) {
                if (rbuf.length >= MAX_LINE) {
                    throw protocol("answer line longer than " + MAX_LINE + " bytes");
                }
                byte[] n = new byte[rbuf.length * 2];
                System.arraycopy(rbuf, 0, n, 0, rlim);
                rbuf = n;
            }
            int got;
            try {
                got = link.read(rbuf, rlim, rbuf.length - rlim);
            } catch (IOException e) {
                throw ioFailure(e);
            }
            if (got < 0) {
                throw ioFailure(new IOException("end of stream"));
            }
            rlim += got;
        }
    }
}
