package org.virtiotck.tck.adapter.qtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Encodes qtest command lines into one reused byte buffer, so that a batch of commands leaves in one write: the
 * register accesses ({@code readl 0x... }, {@code writel 0x... 0x...}), guest-memory reads and writes (base64 or
 * hex) and raw lines. Numbers are written as {@code 0x} and lower-case hex digits without leading zeros.
 */
final class QtestCommandBuffer {
    private static final Base64.Encoder B64E = Base64.getEncoder();
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf = new byte[256];
    private int len;

    /** Starts a new batch. */
    void clear() {
        len = 0;
    }

    byte[] bytes() {
        return buf;
    }

    int length() {
        return len;
    }

    /** The first line of the batch (at most 80 characters), for fault messages; "?" when it cannot be read. */
    String firstLine() {
        try {
            byte[] w = buf;
            int n = Math.min(Math.min(len, w.length), 80);
            String s = new String(w, 0, n, StandardCharsets.US_ASCII);
            int nl = s.indexOf('\n');
            return nl >= 0 ? s.substring(0, nl) : s + "...";
        } catch (RuntimeException e) {
            return "?"; // read from the watchdog thread while the caller may be refilling the buffer
        }
    }

    /** A raw command line. */
    void line(String command) {
        ascii(command);
        put('\n');
    }

    /** readb/readw/readl/readq. */
    void registerRead(int width, long address) {
        ascii(switch (width) {
            case 1 -> "readb ";
            case 2 -> "readw ";
            case 4 -> "readl ";
            case 8 -> "readq ";
            default -> throw badWidth(width);
        });
        hex(address);
        put('\n');
    }

    /** writeb/writew/writel/writeq. */
    void registerWrite(int width, long address, long value) {
        ascii(switch (width) {
            case 1 -> "writeb ";
            case 2 -> "writew ";
            case 4 -> "writel ";
            case 8 -> "writeq ";
            default -> throw badWidth(width);
        });
        hex(address);
        put(' ');
        hex(value);
        put('\n');
    }

    /** b64read (or read) of {@code n} bytes of guest memory. */
    void memoryRead(boolean base64, long gpa, int n) {
        ascii(base64 ? "b64read " : "read ");
        hex(gpa);
        put(' ');
        hex(n);
        put('\n');
    }

    /** b64write (or write with hex data) of {@code src[off, off + n)} to guest memory. */
    void memoryWrite(boolean base64, long gpa, byte[] src, int off, int n) {
        ascii(base64 ? "b64write " : "write ");
        hex(gpa);
        put(' ');
        hex(n);
        put(' ');
        if (base64) {
            ByteBuffer enc = B64E.encode(ByteBuffer.wrap(src, off, n));
            ensure(enc.remaining());
            enc.get(buf, len, enc.remaining());
            len += enc.limit();
        } else {
            put('0');
            put('x');
            ensure(2 * n);
            for (int i = 0; i < n; i++) {
                int b = src[off + i] & 0xff;
                buf[len++] = HEX[b >>> 4];
                buf[len++] = HEX[b & 15];
            }
        }
        put('\n');
    }

    private static IllegalArgumentException badWidth(int width) {
        return new IllegalArgumentException("register access width must be 1, 2, 4 or 8: " + width);
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            byte[] n = new byte[Math.max(buf.length * 2, len + more + 64)];
            System.arraycopy(buf, 0, n, 0, len);
            buf = n;
        }
    }

    private void put(int b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    private void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    private void hex(long v) {
        ensure(18);
        buf[len++] = '0';
        buf[len++] = 'x';
        int digits = v == 0 ? 1 : 16 - (Long.numberOfLeadingZeros(v) >>> 2);
        for (int i = digits - 1; i >= 0; i--) {
            buf[len++] = HEX[(int) (v >>> (i * 4)) & 15];
        }
    }
}
