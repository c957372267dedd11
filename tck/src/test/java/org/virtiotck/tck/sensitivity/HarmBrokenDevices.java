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
import org.virtiotck.tck.sensitivity.HostileBrokenDevices.Q;
import org.virtiotck.tck.sensitivity.HostileBrokenDevices.Tap;

/**
 * Variants for the hostile cases that go on to the point of harm (issue #10): one correct device the hostile model
 * must not accuse (DEVICE_NEEDS_RESET before DRIVER_OK without an interrupt), and devices whose bug only shows when a
 * bad state is used further than the first request: an oversized ring whose upper slots overrun QueueNumMax-sized
 * state, a live-shrunk QueueNum that does the same, nested indirect tables followed without a depth bound, and a
 * request header taken from a device-writable buffer. Registered with {@link HostileBrokenDevices} (guarded targets).
 */
final class HarmBrokenDevices {
    private HarmBrokenDevices() {}

    private static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

    static Map<String, Variant> all() {
        return VARIANTS;
    }

    private static void add(String name, String breaks, Function<Context, MmioDevice> decorator) {
        VARIANTS.put(name, new Variant(name, breaks, o -> o, decorator));
    }

    static {
        add("needs-reset-before-driver-ok", "correct: validates QueueNum when QueueReady is written and sets "
                + "DEVICE_NEEDS_RESET at once, before DRIVER_OK, without an interrupt (none is owed)",
                c -> new Tap(c) {
                    private final Map<Integer, Long> num = new HashMap<>();
                    private boolean refused;

                    @Override
                    public long read(long offset, int width) {
                        return BrokenDevices.needsResetShown(offset, super.read(offset, width), refused);
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        switch ((int) offset) {
                            case STATUS -> refused &= value != 0;
                            case QUEUE_NUM -> num.put(selected(), value & 0xffffffffL);
                            case QUEUE_NOTIFY -> {
                                if (refused) {
                                    return; // stopped until reset
                                }
                            }
                            case QUEUE_READY -> {
                                long n = num.getOrDefault(selected(), 0L);
                                long max = super.read(QUEUE_NUM_MAX, 4);
                                if (value != 0 && (n == 0 || Long.bitCount(n) != 1 || n > max)) {
                                    refused = true; // the queue stays disabled
                                    return;
                                }
                            }
                            default -> {
                            }
                        }
                        super.write(offset, width, value);
                    }
                });

        add("oversized-ring-crash", "accepts QueueNum up to twice QueueNumMax, but keeps QueueNumMax in-flight "
                + "records indexed by head: a head past them overruns the array (class 9)", c -> new Tap(c) {
                    private final Map<Integer, Long> declared = new HashMap<>();

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS && value == 0) {
                            declared.clear();
                        } else if (offset == QUEUE_NUM) {
                            long max = super.read(QUEUE_NUM_MAX, 4);
                            if (value > max && value <= 2 * max) {
                                declared.put(selected(), value);
                                value = max; // what the device's own ring logic runs with
                            }
                        }
                        super.write(offset, width, value);
                    }

                    @Override
                    boolean beforeNotify(Q q) {
                        Long n = declared.get(queueOf(q));
                        if (n == null) {
                            return true;
                        }
                        int idx = u16(q.avail + 2);
                        for (int i = q.lastAvail; i != idx; i = (i + 1) & 0xffff) {
                            int head = u16(q.avail + 4 + 2 * (i % n));
                            if (head >= q.size) {
                                throw new ArrayIndexOutOfBoundsException("Index " + head + " out of bounds for length "
                                        + q.size + " (in-flight records)");
                            }
                        }
                        return true;
                    }

                    private int queueOf(Q q) {
                        return queues.entrySet().stream().filter(e -> e.getValue() == q).map(Map.Entry::getKey)
                                .findFirst().orElse(-1);
                    }
                });

        add("live-queue-num-crash", "sizes its in-flight records by a QueueNum written while the queue is live; "
                + "a head past the new size overruns them (class 12)", c -> new Tap(c) {
                    private long liveNum = -1;

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS && value == 0) {
                            liveNum = -1;
                        } else if (offset == QUEUE_NUM && selected() == 0 && queues.containsKey(0)
                                && queues.get(0).ready) {
                            liveNum = value;
                        }
                        super.write(offset, width, value);
                    }

                    @Override
                    boolean beforeNotify(Q q) {
                        if (liveNum > 0 && q == queues.get(0)) {
                            for (HostileBrokenDevices.Walk w : newChains(q)) {
                                if (w.head >= liveNum) {
                                    throw new ArrayIndexOutOfBoundsException("Index " + w.head + " out of bounds for "
                                            + "length " + liveNum + " (in-flight records)");
                                }
                            }
                        }
                        return true;
                    }
                });

        add("follows-nested-indirect", "follows indirect tables nested in indirect tables, recursively and without "
                + "a depth bound (class 8)", c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        int idx = u16(q.avail + 2);
                        if (((idx - q.lastAvail) & 0xffff) != 1) {
                            return true;
                        }
                        int head = u16(q.avail + 4 + 2 * (q.lastAvail % q.size));
                        if (head >= q.size) {
                            return true;
                        }
                        List<long[]> bufs = new ArrayList<>();
                        int depth = collect(q.desc, q.size, head, bufs, 0);
                        if (depth < 3) {
                            return true; // direct, or one table: the reference device serves it
                        }
                        serveRead(this, q, head, bufs);
                        return false;
                    }

                    /** Appends the chain's buffers; returns the deepest table nesting it met (1 = direct). */
                    private int collect(long table, long size, int i, List<long[]> out, int depth) {
                        if (depth > 1000) {
                            while (!Thread.currentThread().isInterrupted()) {
                                LockSupport.parkNanos(50_000_000L); // what unbounded recursion looks like from outside
                            }
                            throw new IllegalStateException("interrupted while following nested indirect tables");
                        }
                        int deepest = depth + 1;
                        for (int steps = 0; steps <= size; steps++) {
                            long d = table + 16L * i;
                            if (!inRam(d, 16)) {
                                return deepest;
                            }
                            int flags = u16(d + 12);
                            if ((flags & SplitRing.DESC_F_INDIRECT) != 0) {
                                long len = u32(d + 8);
                                deepest = Math.max(deepest, collect(u64(d), Math.max(1, len / 16), 0, out, depth + 1));
                            } else {
                                out.add(new long[] {u64(d), u32(d + 8), flags});
                            }
                            if ((flags & SplitRing.DESC_F_NEXT) == 0) {
                                return deepest;
                            }
                            i = u16(d + 14);
                        }
                        return deepest;
                    }
                });

        add("used-idx-survives-reset", "keeps counting used idx across a device reset: the first request after "
                + "a re-initialization lands at the old position plus one (lifecycle)", c -> new Tap(c) {
                    private int carried;
                    private int lastSeen;

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS && value == 0) {
                            carried += lastSeen;
                            lastSeen = 0;
                        }
                        super.write(offset, width, value);
                    }

                    @Override
                    void afterNotify(Q q) {
                        if (q != queues.get(0)) {
                            return;
                        }
                        int own = u16(q.used + 2);
                        lastSeen = own;
                        int shown = (own + carried) & 0xffff;
                        put(q.used + 2, new byte[] {(byte) shown, (byte) (shown >>> 8)});
                    }
                });

        add("wedges-after-64-requests", "answers its registers but stops completing anything after 64 requests "
                + "until it is reset, without DEVICE_NEEDS_RESET (a wedge, not a hang)", c -> new Tap(c) {
                    private int served;

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS && value == 0) {
                            served = 0;
                        }
                        super.write(offset, width, value);
                    }

                    @Override
                    boolean beforeNotify(Q q) {
                        served += newChains(q).size();
                        return served <= 64;
                    }
                });

        add("header-from-writable", "serves a READ whose header descriptor is device-writable, taking the header "
                + "from it (class 7)", c -> new Tap(c) {
                    @Override
                    boolean beforeNotify(Q q) {
                        for (HostileBrokenDevices.Walk w : newChains(q)) {
                            if (w.bufs.size() == 3 && w.bufs.get(0)[1] == Blk.HEADER_SIZE
                                    && (w.bufs.get(0)[2] & SplitRing.DESC_F_WRITE) != 0) {
                                serveRead(this, q, w.head, w.bufs);
                                return false;
                            }
                        }
                        return true;
                    }
                });
    }

    /**
     * Serves a READ chain itself: header = first 16 bytes of the first buffer (whatever its direction), data into the
     * writable buffers that follow it, status OK into the last byte, one used element.
     */
    static void serveRead(Tap t, Q q, int head, List<long[]> bufs) {
        long[] h = bufs.get(0);
        byte[] hdr = new byte[Blk.HEADER_SIZE];
        t.target().readMemory(h[0], hdr, 0, hdr.length);
        long sector = Tap.le(hdr, 8, 8);
        long offset = sector * Blk.SECTOR_SIZE;
        long written = 0;
        for (int k = 1; k < bufs.size(); k++) {
            long[] b = bufs.get(k);
            boolean last = k == bufs.size() - 1;
            int len = (int) (last ? b[1] - 1 : b[1]);
            if (len > 0 && t.inRam(b[0], len)) {
                byte[] data = new byte[len];
                t.device.backend().read(offset, data, 0, len);
                t.put(b[0], data);
                offset += len;
                written += len;
            }
            if (last) {
                t.put(b[0] + b[1] - 1, new byte[] {(byte) Blk.S_OK});
                written++;
            }
        }
        int used = t.u16(q.used + 2);
        t.put(q.used + 4 + 8 * (used % q.size), Tap.le32(head, written));
        used = (used + 1) & 0xffff;
        t.put(q.used + 2, new byte[] {(byte) used, (byte) (used >>> 8)});
    }
}
