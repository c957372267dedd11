package org.virtiotck.tck.sensitivity;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.virtiotck.device.MmioDevice;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.sensitivity.BrokenDevices.Context;
import org.virtiotck.tck.sensitivity.BrokenDevices.Variant;

/**
 * One deliberately broken variant of the reference device per hostile bug class (issue #4), each a decorator that
 * reproduces a classic device bug: following descriptor loops forever, throwing on a bad index, writing through a
 * wrapped address, writing into a zero-length or readable buffer, trusting a short header or an overflowing sector,
 * copying a big indirect table into a queue-sized array, dividing by a zero queue size, ignoring the avail-idx
 * jump check, comparing indices without wraparound, using a queue size rewritten while live, re-fetching
 * descriptors on every notification, completing requests after a reset, losing configuration interrupts,
 * allocating what a descriptor claims, writing a whole GET_ID into a short buffer, serving before DRIVER_OK.
 *
 * <p>They open through {@link BrokenTargetProvider} as {@code broken:<name>} like the other variants, but always
 * inside a {@code GuardedTarget}: the hang variant parks (interruptibly, so the abandoned worker thread exits when
 * the guard gives up on it) and the crash variants throw. Modern transport only.
 */
public final class HostileBrokenDevices {
    private HostileBrokenDevices() {}

    private static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

    public static Map<String, Variant> all() {
        return VARIANTS;
    }

    public static Variant get(String name) {
        return VARIANTS.get(name);
    }

    private static void add(String name, String breaks, Function<Context, MmioDevice> decorator) {
        VARIANTS.put(name, new Variant(name, breaks, o -> o, decorator));
    }

    static {
        add("hang-on-descriptor-loop", "follows a descriptor loop forever (class 1)", c -> new Tap(c) {
            @Override
            boolean beforeNotify(Q q) {
                for (Walk w : newChains(q)) {
                    if (w.loop) {
                        while (!Thread.currentThread().isInterrupted()) {
                            LockSupport.parkNanos(50_000_000L);
                        }
                        throw new IllegalStateException("interrupted while following a descriptor loop");
                    }
                }
                return true;
            }
        });

        add("crash-on-bad-index", "indexes its descriptor array with an unchecked head or next (class 2)",
                c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (Walk w : newChains(q)) {
                            if (w.badIndex >= 0) {
                                throw new ArrayIndexOutOfBoundsException("Index " + w.badIndex
                                        + " out of bounds for length " + q.size);
                            }
                        }
                        return true;
                    }
                });

        add("wild-write-on-wrapping-address", "reduces out-of-RAM buffer addresses modulo the RAM size and writes "
                + "there (class 3)", c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        long base = ram().base();
                        long size = ram().size();
                        for (Walk w : newChains(q)) {
                            for (long[] b : w.bufs) {
                                boolean outside = Long.compareUnsigned(b[0], base) < 0
                                        || Long.compareUnsigned(b[0] + b[1], base + size) > 0
                                        || Long.compareUnsigned(b[0] + b[1], b[0]) < 0;
                                if ((b[2] & SplitRing.DESC_F_WRITE) != 0 && outside && b[1] > 0) {
                                    long at = base + Math.floorMod(b[0] - base, size);
                                    at = Math.min(at, base + size - 16);
                                    put(at, new byte[] {0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e, 0x5e});
                                }
                            }
                        }
                        return true;
                    }
                });

        add("zero-length-means-16", "treats a zero-length writable descriptor as 16 bytes and zero-fills it "
                + "(class 4)", c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (Walk w : newChains(q)) {
                            for (long[] b : w.bufs) {
                                if ((b[2] & SplitRing.DESC_F_WRITE) != 0 && b[1] == 0 && inRam(b[0], 16)) {
                                    put(b[0], new byte[16]);
                                }
                            }
                        }
                        return true;
                    }
                });

        add("garbage-sector-on-short-header", "reads a short header past its end and writes sector 0 with what it "
                + "finds (class 5)", c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (Walk w : newChains(q)) {
                            if (!w.bufs.isEmpty() && w.readableBytes() < Blk.HEADER_SIZE) {
                                byte[] junk = new byte[Blk.SECTOR_SIZE];
                                java.util.Arrays.fill(junk, (byte) 0x66);
                                device.backend().write(0, junk, 0, junk.length);
                            }
                        }
                        return true;
                    }
                });

        add("sector-overflow-wraps", "computes sector x 512 in 64 bits and writes where it wraps to (class 6)",
                c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (Walk w : newRequests(q, Blk.T_OUT)) {
                            long sector = le(w.readable(this, 16), 8, 8);
                            long off = sector * Blk.SECTOR_SIZE;
                            long disk = device.backend().sizeBytes();
                            if (Long.compareUnsigned(sector, disk / Blk.SECTOR_SIZE) >= 0
                                    && Long.compareUnsigned(off, disk - Blk.SECTOR_SIZE) <= 0) {
                                byte[] data = new byte[Blk.SECTOR_SIZE];
                                java.util.Arrays.fill(data, (byte) 0x77);
                                device.backend().write(off, data, 0, data.length);
                            }
                        }
                        return true;
                    }
                });

        add("writes-readable-after-writable", "treats every descriptor after the first writable one as writable "
                + "(class 7)", c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (Walk w : newChains(q)) {
                            boolean sawWritable = false;
                            for (long[] b : w.bufs) {
                                boolean wr = (b[2] & SplitRing.DESC_F_WRITE) != 0;
                                if (!wr && sawWritable && b[1] > 0 && inRam(b[0], 1)) {
                                    put(b[0], new byte[] {0x11});
                                }
                                sawWritable |= wr;
                            }
                        }
                        return true;
                    }
                });

        add("crash-on-big-indirect-table", "copies an indirect table into a queue-sized array (class 8)",
                c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (Walk w : newChains(q)) {
                            if (w.indirectEntries > q.size) {
                                throw new ArrayIndexOutOfBoundsException("Index " + q.size + " out of bounds for "
                                        + "length " + q.size + " (indirect table of " + w.indirectEntries + ")");
                            }
                        }
                        return true;
                    }
                });

        add("divides-by-queue-size", "computes ring slots as idx % QueueNum without checking QueueNum (class 9)",
                c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        int slot = u16(q.avail + 2) % (int) q.size; // ArithmeticException for QueueNum 0
                        return slot >= 0;
                    }
                });

        add("ignores-avail-jump", "processes whatever avail idx says, even more than the queue size (class 10)",
                c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        int idx = u16(q.avail + 2);
                        int pending = (idx - q.lastAvail) & 0xffff;
                        if (pending <= q.size) {
                            return true;
                        }
                        int used = u16(q.used + 2);
                        for (int i = 0; i < Math.min(pending, 2 * q.size); i++) {
                            int head = u16(q.avail + 4 + 2 * ((q.lastAvail + i) % q.size));
                            long elem = q.used + 4 + 8 * (used % q.size);
                            put(elem, le32(head, 0));
                            used = (used + 1) & 0xffff;
                        }
                        put(q.used + 2, new byte[] {(byte) used, (byte) (used >>> 8)});
                        return false;
                    }
                });

        add("index-wrap-stops", "compares avail idx with its position without wraparound: stops at 65535 "
                + "(class 11)", c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        return u16(q.avail + 2) >= q.lastAvail;
                    }
                });

        add("uses-live-queue-num", "adopts QueueNum written while the queue is live and writes used elements past "
                + "the ring (class 12)", c -> new Tap(c) {
                    @Override
                    void afterNotify(Q q) {
                        if (q.liveNumWrites > 0) {
                            long end = q.used + SplitRing.usedRingBytes((int) q.size);
                            if (inRam(end, 8)) {
                                put(end + 4, new byte[] {1, 2, 3, 4});
                            }
                        }
                    }
                });

        add("refetches-on-every-notify", "re-reads and re-completes the last chain on every notification, even "
                + "when avail idx did not move (class 13)", c -> new Tap(c) {
                    int lastHead = -1;

                    @Override
                    boolean beforeNotify(Q q) {
                        int idx = u16(q.avail + 2);
                        if (idx == q.lastAvail && lastHead >= 0) {
                            int used = u16(q.used + 2);
                            put(q.used + 4 + 8 * (used % q.size), le32(lastHead, 1));
                            used = (used + 1) & 0xffff;
                            put(q.used + 2, new byte[] {(byte) used, (byte) (used >>> 8)});
                            return false;
                        }
                        if (idx != q.lastAvail) {
                            lastHead = u16(q.avail + 4 + 2 * ((((idx - 1) & 0xffff)) % q.size));
                        }
                        return true;
                    }
                });

        add("completes-after-reset", "finishes a request it still had queued after the reset, once Status "
                + "has read 0 (class 14)", c -> new Tap(c) {
                    long[] stale; // used, avail, size of queue 0 at the reset
                    boolean statusReadZero;

                    @Override
                    public long read(long offset, int width) {
                        finishStale();
                        long v = super.read(offset, width);
                        if (stale != null && offset == STATUS && v == 0) {
                            statusReadZero = true;
                        }
                        return v;
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        finishStale();
                        Q q = queues.get(0);
                        if (offset == STATUS && value == 0 && q != null && q.used != 0 && q.size > 0) {
                            stale = new long[] {q.used, q.avail, q.size};
                            statusReadZero = false;
                        }
                        super.write(offset, width, value);
                    }

                    /** The first access after Status read 0: complete the oldest request still available. */
                    private void finishStale() {
                        if (stale == null || !statusReadZero) {
                            return;
                        }
                        long used = stale[0];
                        long avail = stale[1];
                        long size = stale[2];
                        stale = null;
                        if (inRam(used, 8) && inRam(avail, 8)) {
                            int u = u16(used + 2);
                            int a = u16(avail + 2);
                            if (u != a) {
                                int head = u16(avail + 4 + 2 * (u % size));
                                put(used + 4 + 8 * (u % size), le32(head, 1));
                                put(used + 2, new byte[] {(byte) (u + 1), (byte) ((u + 1) >>> 8)});
                            }
                        }
                    }
                });

        add("no-config-irq-on-resize", "never shows the configuration-change interrupt for a capacity change "
                + "(class 15)", c -> new Tap(c) {
                    @Override
                    public long read(long offset, int width) {
                        long v = super.read(offset, width);
                        if (offset == INTERRUPT_STATUS && (v & INT_CONFIG_CHANGE) != 0
                                && (device.status() & DeviceStatus.DEVICE_NEEDS_RESET) == 0) {
                            device.write(INTERRUPT_ACK, 4, INT_CONFIG_CHANGE);
                            return v & ~INT_CONFIG_CHANGE;
                        }
                        return v;
                    }
                });

        add("needs-reset-without-irq", "sets DEVICE_NEEDS_RESET without the configuration-change interrupt "
                + "(class 16)", c -> new Tap(c) {
                    @Override
                    public void write(long offset, int width, long value) {
                        super.write(offset, width, value);
                        if ((device.status() & DeviceStatus.DEVICE_NEEDS_RESET) != 0
                                && (device.interruptStatus() & INT_CONFIG_CHANGE) != 0) {
                            device.write(INTERRUPT_ACK, 4, INT_CONFIG_CHANGE);
                        }
                    }
                });

        add("allocates-declared-length", "allocates a buffer as large as a descriptor claims (class 17)",
                c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (Walk w : newChains(q)) {
                            for (long[] b : w.bufs) {
                                if (b[1] >= 0x10000000L) {
                                    throw new OutOfMemoryError("simulated: Java heap space (allocating " + b[1]
                                            + " bytes for one descriptor)");
                                }
                            }
                        }
                        return true;
                    }
                });

        add("get-id-writes-20-bytes", "writes all 20 id bytes whatever the GET_ID buffer size (class 18)",
                c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (Walk w : newRequests(q, Blk.T_GET_ID)) {
                            for (long[] b : w.bufs) {
                                if ((b[2] & SplitRing.DESC_F_WRITE) != 0 && inRam(b[0], 20)) {
                                    put(b[0], "virtio-tck-ref-XXXXX".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                                    break;
                                }
                            }
                        }
                        return true;
                    }
                });

        add("serves-before-driver-ok", "serves requests as soon as the queue is set up, before DRIVER_OK "
                + "(class 19)", c -> new Tap(c) {
                    @Override
                    public void write(long offset, int width, long value) {
                        Q q = queues.get((int) value);
                        if (offset == QUEUE_NOTIFY && q != null && q.size > 0 && q.used != 0
                                && (device.status() & DeviceStatus.DRIVER_OK) == 0) {
                            for (Walk w : newChains(q)) {
                                long[] last = w.bufs.isEmpty() ? null : w.bufs.get(w.bufs.size() - 1);
                                if (last != null && last[1] > 0 && inRam(last[0], last[1])) {
                                    put(last[0] + last[1] - 1, new byte[] {0});
                                }
                                int used = u16(q.used + 2);
                                put(q.used + 4 + 8 * (used % q.size), le32(w.head, 1));
                                used = (used + 1) & 0xffff;
                                put(q.used + 2, new byte[] {(byte) used, (byte) (used >>> 8)});
                            }
                            q.lastAvail = u16(q.avail + 2);
                        }
                        super.write(offset, width, value);
                    }
                });
        VARIANTS.putAll(HarmBrokenDevices.all()); // the point-of-harm variants (issue #10)
    }

    // ------------------------------------------------------------------ building blocks

    /** Queue registers as the driver wrote them (modern), and the decorator's own ring position. */
    static final class Q {
        long size;
        long desc;
        long avail;
        long used;
        boolean ready;
        int lastAvail;
        int liveNumWrites;
    }

    /** A chain as a buggy device would walk it. */
    static final class Walk {
        int head;
        final List<long[]> bufs = new ArrayList<>(); // addr, len, flags
        boolean loop;
        int badIndex = -1;
        long indirectEntries;

        long readableBytes() {
            long n = 0;
            for (long[] b : bufs) {
                if ((b[2] & SplitRing.DESC_F_WRITE) == 0) {
                    n += b[1];
                }
            }
            return n;
        }

        byte[] readable(Tap t, int n) {
            byte[] out = new byte[n];
            int got = 0;
            for (long[] b : bufs) {
                if ((b[2] & SplitRing.DESC_F_WRITE) != 0 || got == n || !t.inRam(b[0], b[1])) {
                    continue;
                }
                int take = (int) Math.min(b[1], n - got);
                t.target().readMemory(b[0], out, got, take);
                got += take;
            }
            return got == n ? out : null;
        }
    }

    /**
     * A bus that follows the modern queue registers and lets a variant act around QueueNotify: {@link #beforeNotify}
     * (return false to swallow the notification) and {@link #afterNotify}.
     */
    abstract static class Tap extends BrokenDevices.Bus {
        private final Context ctx;
        final Map<Integer, Q> queues = new HashMap<>();
        private int sel;

        Tap(Context c) {
            super(c.device());
            this.ctx = c;
        }

        org.virtiotck.tck.spi.Target target() {
            return ctx.target().get();
        }

        /** The queue QueueSel selects (as the driver last wrote it). */
        int selected() {
            return sel;
        }

        org.virtiotck.tck.spi.MemoryWindow ram() {
            return target().ram();
        }

        boolean beforeNotify(Q q) {
            return true;
        }

        void afterNotify(Q q) {}

        @Override
        public void write(long offset, int width, long value) {
            if (width == 4 && offset != QUEUE_NOTIFY) {
                Q q = queues.computeIfAbsent(sel, k -> new Q());
                long v = value & 0xffffffffL;
                switch ((int) offset) {
                    case QUEUE_SEL -> sel = (int) value;
                    case QUEUE_NUM -> {
                        if (q.ready) {
                            q.liveNumWrites++;
                        } else {
                            q.size = v;
                        }
                    }
                    case QUEUE_READY -> {
                        q.ready = v != 0;
                        q.lastAvail = 0;
                    }
                    case QUEUE_DESC_LOW -> q.desc = (q.desc & ~0xffffffffL) | v;
                    case QUEUE_DESC_HIGH -> q.desc = (q.desc & 0xffffffffL) | v << 32;
                    case QUEUE_DRIVER_LOW -> q.avail = (q.avail & ~0xffffffffL) | v;
                    case QUEUE_DRIVER_HIGH -> q.avail = (q.avail & 0xffffffffL) | v << 32;
                    case QUEUE_DEVICE_LOW -> q.used = (q.used & ~0xffffffffL) | v;
                    case QUEUE_DEVICE_HIGH -> q.used = (q.used & 0xffffffffL) | v << 32;
                    case STATUS -> {
                        if (value == 0) {
                            queues.clear();
                            sel = 0;
                        }
                    }
                    default -> {
                    }
                }
            }
            if (offset != QUEUE_NOTIFY || width != 4 || device.config().legacy()) {
                super.write(offset, width, value);
                return;
            }
            Q q = queues.get((int) value);
            if (q == null || !q.ready || !inRam(q.avail, 4) || !inRam(q.used, 4)) {
                super.write(offset, width, value);
                return;
            }
            if (beforeNotify(q)) {
                super.write(offset, width, value);
            }
            afterNotify(q);
            q.lastAvail = u16(q.avail + 2);
        }

        /** The chains between the decorator's position and avail idx (at most one queue's worth). */
        /** The new chains that carry a whole request header of {@code type}. */
        List<Walk> newRequests(Q q, int type) {
            return newChains(q).stream().filter(w -> {
                byte[] h = w.readable(this, 16);
                return h != null && le(h, 0, 4) == type;
            }).toList();
        }

        List<Walk> newChains(Q q) {
            List<Walk> out = new ArrayList<>();
            if (q.size <= 0 || !inRam(q.avail, 4)) {
                return out;
            }
            int idx = u16(q.avail + 2);
            int pending = Math.min((idx - q.lastAvail) & 0xffff, (int) q.size);
            for (int i = 0; i < pending; i++) {
                int head = u16(q.avail + 4 + 2 * ((q.lastAvail + i) % q.size));
                out.add(walk(q, head));
            }
            return out;
        }

        Walk walk(Q q, int head) {
            Walk w = new Walk();
            w.head = head;
            if (head >= q.size) {
                w.badIndex = head;
                return w;
            }
            long table = q.desc;
            long size = q.size;
            int i = head;
            boolean indirect = false;
            for (int steps = 0; ; steps++) {
                if (steps > size) {
                    w.loop = true;
                    return w;
                }
                long d = table + 16L * i;
                if (!inRam(d, 16)) {
                    return w;
                }
                long addr = u64(d);
                long len = u32(d + 8);
                int flags = u16(d + 12);
                int next = u16(d + 14);
                if ((flags & SplitRing.DESC_F_INDIRECT) != 0 && !indirect) {
                    w.indirectEntries = len / 16;
                    if (!inRam(addr, Math.max(16, Math.min(len, 1 << 20)))) {
                        return w;
                    }
                    table = addr;
                    size = Math.max(1, len / 16);
                    i = 0;
                    indirect = true;
                    steps = 0;
                    continue;
                }
                w.bufs.add(new long[] {addr, len, flags});
                if ((flags & SplitRing.DESC_F_NEXT) == 0) {
                    return w;
                }
                if (next >= size) {
                    w.badIndex = next;
                    return w;
                }
                i = next;
            }
        }

        boolean inRam(long gpa, long len) {
            return ram().contains(gpa, len);
        }

        int u16(long gpa) {
            byte[] b = new byte[2];
            target().readMemory(gpa, b, 0, 2);
            return (b[0] & 0xff) | (b[1] & 0xff) << 8;
        }

        long u32(long gpa) {
            byte[] b = new byte[4];
            target().readMemory(gpa, b, 0, 4);
            return le(b, 0, 4);
        }

        long u64(long gpa) {
            byte[] b = new byte[8];
            target().readMemory(gpa, b, 0, 8);
            return le(b, 0, 8);
        }

        void put(long gpa, byte[] b) {
            target().writeMemory(gpa, b, 0, b.length);
        }

        static long le(byte[] b, int off, int width) {
            long v = 0;
            for (int i = width - 1; i >= 0; i--) {
                v = v << 8 | (b[off + i] & 0xff);
            }
            return v;
        }

        /** A used element {id, len}. */
        static byte[] le32(long id, long len) {
            return new byte[] {(byte) id, (byte) (id >>> 8), (byte) (id >>> 16), (byte) (id >>> 24), (byte) len,
                    (byte) (len >>> 8), (byte) (len >>> 16), (byte) (len >>> 24)};
        }
    }
}
