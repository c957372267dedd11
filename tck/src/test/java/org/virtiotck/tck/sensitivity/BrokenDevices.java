package org.virtiotck.tck.sensitivity;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.virtiotck.device.ForwardingMmioDevice;
import org.virtiotck.device.MmioDevice;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.Target;

/**
 * Deliberately broken variants of the reference device, for the TCK's own sensitivity tests: each one breaks a
 * single requirement, so a conformance test that passes against it cannot detect that break.
 *
 * <p>Every variant is a decorator: an {@link MmioDevice} in front of the real {@link ReferenceBlockDevice} that
 * rewrites register reads or writes, adds accesses of its own, or (for request-level breaks) edits guest memory
 * after the device has done its work. The device itself is never changed. Reads are always passed on to the device
 * before a value is replaced, so its driver-rule checker sees the harness's accesses as they were made.
 */
public final class BrokenDevices {
    // Declared before the variant table below, whose static initializer uses them.
    private static final long RO = FeatureBit.mask(FeatureBit.BLK_RO);
    private static final long ADMIN_VQ_IN_HIGH_WORD = 1L << (FeatureBit.ADMIN_VQ - 32);

    private BrokenDevices() {}

    /** What a decorator may reach: the device it wraps and the target around it (guest memory). */
    public record Context(ReferenceBlockDevice device, Supplier<Target> target) {}

    /**
     * One broken variant.
     *
     * @param name        the {@code broken:<name>} URI path
     * @param breaks      what is broken, in one sentence
     * @param options     rewrites the reference options from the URI before the device is built
     * @param decorator   builds the broken bus around a freshly powered-on device
     */
    public record Variant(String name, String breaks, UnaryOperator<Map<String, String>> options,
                          Function<Context, MmioDevice> decorator) {}

    private static final Map<String, Variant> VARIANTS = new LinkedHashMap<>();

    private static void add(String name, String breaks, Function<Context, MmioDevice> decorator) {
        add(name, breaks, o -> o, decorator);
    }

    private static void add(String name, String breaks, UnaryOperator<Map<String, String>> options,
                            Function<Context, MmioDevice> decorator) {
        VARIANTS.put(name, new Variant(name, breaks, options, decorator));
    }

    public static Map<String, Variant> all() {
        return VARIANTS;
    }

    public static Variant get(String name) {
        return VARIANTS.get(name);
    }

    // ------------------------------------------------------------------ the variants

    static {
        add("features-ignore-selector",
                "DeviceFeatures always shows bits 0..31 and DriverFeatures writes always land in bits 0..31, "
                        + "whatever the selectors say",
                c -> new Bus(c.device()) {
                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == DEVICE_FEATURES_SEL || offset == DRIVER_FEATURES_SEL) {
                            value = 0;
                        }
                        super.write(offset, width, value);
                    }
                });

        add("features-high-word-mirrors-low",
                "DeviceFeatures with DeviceFeaturesSel=1 repeats bits 0..31 (so VERSION_1 is not offered); other "
                        + "selectors work",
                c -> new OfferEditBus(c.device(),
                        (sel, word) -> sel == 1 ? lowFeatureWord(c.device()) : word,
                        // the device underneath insists on VERSION_1; keep it consistent
                        (sel, word) -> sel == 1 ? word | 1 : word));

        add("reset-keeps-queue-ready",
                "after Status=0, QueueReady of the queues that were ready keeps reading 1 (until written again)",
                c -> new Bus(c.device()) {
                    final Set<Integer> ready = new java.util.HashSet<>();
                    final Set<Integer> stale = new java.util.HashSet<>();
                    int sel;

                    @Override
                    long shown(long offset, int width, long v) {
                        return offset == QUEUE_READY && width == 4 && stale.contains(sel) ? 1 : v;
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS && value == 0) {
                            stale.addAll(ready);
                            ready.clear();
                        } else if (offset == QUEUE_SEL) {
                            sel = (int) value;
                        } else if (offset == QUEUE_READY) {
                            stale.remove(sel);
                            if (value != 0) {
                                ready.add(sel);
                            } else {
                                ready.remove(sel);
                            }
                        }
                        super.write(offset, width, value);
                    }
                });

        add("no-used-interrupt",
                "never shows InterruptStatus bit 0 for used buffers: the device acknowledges the bit itself the "
                        + "moment it raises it (the line pulses inside the QueueNotify write and drops again)",
                c -> new Bus(c.device()) {
                    @Override
                    long shown(long offset, int width, long v) {
                        return offset == INTERRUPT_STATUS ? v & ~INT_USED_BUFFER : v;
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        super.write(offset, width, value);
                        if ((device.interruptStatus() & INT_USED_BUFFER) != 0) {
                            device.write(INTERRUPT_ACK, 4, INT_USED_BUFFER);
                        }
                    }
                });

        add("interrupt-not-latched",
                "InterruptStatus clears itself (and drops the line) when it is read",
                c -> new Bus(c.device()) {
                    @Override
                    public long read(long offset, int width) {
                        long v = super.read(offset, width);
                        if (offset == INTERRUPT_STATUS && width == 4 && (v & 3) != 0) {
                            device.write(INTERRUPT_ACK, 4, v & 3);
                        }
                        return v;
                    }
                });

        add("wrong-magic",
                "MagicValue reads \"virt\" in big-endian order (0x76697274)",
                c -> readsEdited(c.device(), (offset, width, v) ->
                        offset == MAGIC_VALUE && width == 4 ? Integer.reverseBytes(MAGIC) & 0xffffffffL : v));

        add("version-1-on-modern",
                "a modern (page-less, QueueReady) register file that reports Version 1",
                c -> readsEdited(c.device(), (offset, width, v) ->
                        offset == VERSION && width == 4 ? VERSION_LEGACY : v));

        add("reset-keeps-interrupt-status",
                "InterruptStatus bits pending at Status=0 keep reading set after the reset (until acknowledged)",
                c -> new Bus(c.device()) {
                    int stale;

                    @Override
                    long shown(long offset, int width, long v) {
                        return offset == INTERRUPT_STATUS ? v | stale : v;
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS && value == 0) {
                            stale |= device.interruptStatus();
                        } else if (offset == INTERRUPT_ACK) {
                            stale &= ~(int) value;
                        }
                        super.write(offset, width, value);
                    }
                });

        add("accepts-unoffered-features",
                "keeps FEATURES_OK when the driver accepted bits it did not offer (it silently drops them)",
                c -> new Bus(c.device()) {
                    int sel;

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == DRIVER_FEATURES_SEL) {
                            sel = (int) value;
                        } else if (offset == DRIVER_FEATURES) {
                            long offered = device.config().offeredFeatures();
                            long word = sel == 0 ? offered : sel == 1 ? offered >>> 32 : 0;
                            value &= word & 0xffffffffL;
                        }
                        super.write(offset, width, value);
                    }
                });

        add("ro-writes-succeed",
                "offers VIRTIO_BLK_F_RO but the disk behind it is writable and writes succeed",
                o -> {
                    Map<String, String> m = new LinkedHashMap<>(o);
                    m.remove("ro"); // the device underneath must be writable; the decorator advertises RO
                    return m;
                },
                // advertise RO; hide the accepted bit from the device underneath, which did not offer it
                c -> new OfferEditBus(c.device(),
                        (sel, word) -> sel == 0 ? word | RO : word,
                        (sel, word) -> sel == 0 ? word & ~RO : word));

        add("unknown-type-ok",
                "completes requests of an undefined type with VIRTIO_BLK_S_OK instead of UNSUPP",
                c -> new RingTap(c) {
                    @Override
                    void used(Chain chain, long usedElemGpa) {
                        byte[] hdr = chain.readable(4);
                        if (hdr == null || chain.statusGpa() < 0) {
                            return;
                        }
                        int type = (hdr[0] & 0xff) | (hdr[1] & 0xff) << 8 | (hdr[2] & 0xff) << 16 | (hdr[3] & 0xff) << 24;
                        if (!DEFINED_TYPES.contains(type) && u8(chain.statusGpa()) == Blk.S_UNSUPP) {
                            put8(chain.statusGpa(), Blk.S_OK);
                        }
                    }
                });

        add("no-generation-bump",
                "ConfigGeneration never changes, even when the capacity does",
                c -> readsEdited(c.device(), (offset, width, v) ->
                        offset == CONFIG_GENERATION ? 0 : v));

        add("queue-num-max-beyond-last",
                "QueueNumMax reads the maximum size for queue indexes past the last request queue",
                c -> new Bus(c.device()) {
                    int sel;

                    @Override
                    long shown(long offset, int width, long v) {
                        return offset == QUEUE_NUM_MAX && width == 4
                                && Integer.compareUnsigned(sel, device.config().numQueues()) >= 0
                                ? device.config().queueNumMax() : v;
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == QUEUE_SEL) {
                            sel = (int) value;
                        }
                        super.write(offset, width, value);
                    }
                });

        add("no-needs-reset",
                "never shows DEVICE_NEEDS_RESET in Status (it still stops serving after a ring error)",
                c -> readsEdited(c.device(), (offset, width, v) ->
                        offset == STATUS ? v & ~DeviceStatus.DEVICE_NEEDS_RESET : v));

        // ---- further variants that map onto one test each

        add("undefined-interrupt-bits",
                "InterruptStatus shows undefined bit 2 whenever a defined bit is set",
                c -> readsEdited(c.device(), (offset, width, v) ->
                        offset == INTERRUPT_STATUS && v != 0 ? v | 4 : v));

        add("shm-not-all-ones",
                "the SHM length/base registers read 0 instead of all ones for an unused region id",
                c -> readsEdited(c.device(), (offset, width, v) ->
                        offset >= SHM_LEN_LOW && offset <= SHM_BASE_HIGH ? 0 : v));

        add("no-version-1-offered",
                "a modern device that does not offer VIRTIO_F_VERSION_1 (bit 32)",
                c -> new OfferEditBus(c.device(),
                        (sel, word) -> sel == 1 ? word & ~1L : word,
                        // the device underneath insists on VERSION_1; keep it consistent
                        (sel, word) -> sel == 1 ? word | 1 : word));

        add("offers-admin-vq",
                "offers VIRTIO_F_ADMIN_VQ (bit 41), which MMIO does not support",
                c -> new OfferEditBus(c.device(),
                        (sel, word) -> sel == 1 ? word | ADMIN_VQ_IN_HIGH_WORD : word,
                        (sel, word) -> sel == 1 ? word & ~ADMIN_VQ_IN_HIGH_WORD : word));

        add("reset-status-sticks",
                "writing 0 to Status resets the device, but Status keeps reading the old value",
                c -> new Bus(c.device()) {
                    int stale = -1;

                    @Override
                    long shown(long offset, int width, long v) {
                        return offset == STATUS && stale >= 0 ? stale : v;
                    }

                    @Override
                    public void write(long offset, int width, long value) {
                        if (offset == STATUS) {
                            int before = device.status();
                            stale = value == 0 && before != 0 ? before : -1;
                        }
                        super.write(offset, width, value);
                    }
                });

        add("used-len-overstated",
                "reports 64 bytes more in the used element's len than it wrote",
                c -> new RingTap(c) {
                    @Override
                    void used(Chain chain, long usedElemGpa) {
                        put32(usedElemGpa + 4, u32(usedElemGpa + 4) + 64);
                    }
                });

        add("writes-readable-buffers",
                "after completing a request, scribbles on the request header (a device-readable buffer)",
                c -> new RingTap(c) {
                    @Override
                    void used(Chain chain, long usedElemGpa) {
                        long hdr = chain.firstReadableGpa();
                        if (hdr >= 0) {
                            put8(hdr, u8(hdr) ^ 0x80);
                        }
                    }
                });
    }

    /** Request types some spec version defines (legacy SCSI and FLUSH_OUT included). */
    static final Set<Integer> DEFINED_TYPES = Set.of(Blk.T_IN, Blk.T_OUT, 2, 3, Blk.T_FLUSH, 5, Blk.T_GET_ID,
            Blk.T_GET_LIFETIME, Blk.T_DISCARD, Blk.T_WRITE_ZEROES, Blk.T_SECURE_ERASE, Blk.T_ZONE_APPEND,
            Blk.T_ZONE_REPORT, Blk.T_ZONE_OPEN, Blk.T_ZONE_CLOSE, Blk.T_ZONE_FINISH, Blk.T_ZONE_RESET,
            Blk.T_ZONE_RESET_ALL);

    // ------------------------------------------------------------------ building blocks

    /** A transparent bus in front of the device; variants override what they break. */
    static class Bus extends ForwardingMmioDevice {
        final ReferenceBlockDevice device;

        Bus(ReferenceBlockDevice device) {
            super(device);
            this.device = device;
        }

        /** What a read shows, given what the device answered ({@code v}); a variant that edits reads overrides it. */
        long shown(long offset, int width, long v) {
            return v;
        }

        @Override
        public long read(long offset, int width) {
            return shown(offset, width, super.read(offset, width));
        }
    }

    /** A bus that drops QueueNotify writes while {@link #dropping()} says so: those requests are never served. */
    abstract static class NotifyGate extends Bus {
        NotifyGate(ReferenceBlockDevice device) {
            super(device);
        }

        abstract boolean dropping();

        @Override
        public void write(long offset, int width, long value) {
            if (offset != QUEUE_NOTIFY || !dropping()) {
                super.write(offset, width, value);
            }
        }
    }

    /** What a read of {@code offset} shows when the device adds DEVICE_NEEDS_RESET to Status while {@code shown}. */
    static long needsResetShown(long offset, long answered, boolean shown) {
        return offset == STATUS && shown ? answered | DeviceStatus.DEVICE_NEEDS_RESET : answered;
    }

    /** What a register read shows instead of what the device answered. */
    @FunctionalInterface
    interface ReadEdit {
        long apply(long offset, int width, long answered);
    }

    /** A bus whose register reads pass through {@code edit}; writes reach the device unchanged. */
    static Bus readsEdited(ReferenceBlockDevice device, ReadEdit edit) {
        return new Bus(device) {
            @Override
            long shown(long offset, int width, long v) {
                return edit.apply(offset, width, v);
            }
        };
    }

    /** Edits one 32-bit feature word: the selector it belongs to and its value. */
    @FunctionalInterface
    interface WordEdit {
        long apply(int selector, long word);
    }

    /**
     * A bus that shows the driver a different feature offer ({@code offered}) and applies the matching edit to
     * what the driver accepts ({@code accepted}) before it reaches the device underneath, so that only the
     * offer is broken and the device stays internally consistent.
     */
    static final class OfferEditBus extends Bus {
        private final WordEdit offered;
        private final WordEdit accepted;
        private int deviceSel;
        private int driverSel;

        OfferEditBus(ReferenceBlockDevice device, WordEdit offered, WordEdit accepted) {
            super(device);
            this.offered = offered;
            this.accepted = accepted;
        }

        @Override
        long shown(long offset, int width, long v) {
            return offset == DEVICE_FEATURES ? offered.apply(deviceSel, v) & 0xffffffffL : v;
        }

        @Override
        public void write(long offset, int width, long value) {
            if (offset == DEVICE_FEATURES_SEL) {
                deviceSel = (int) value;
            } else if (offset == DRIVER_FEATURES_SEL) {
                driverSel = (int) value;
            } else if (offset == DRIVER_FEATURES) {
                value = accepted.apply(driverSel, value) & 0xffffffffL;
            }
            super.write(offset, width, value);
        }
    }

    /** The device's feature bits 0..31, read behind the driver's back with the selector restored to 1. */
    private static long lowFeatureWord(ReferenceBlockDevice device) {
        device.write(DEVICE_FEATURES_SEL, 4, 0);
        long low = device.read(DEVICE_FEATURES, 4);
        device.write(DEVICE_FEATURES_SEL, 4, 1);
        return low;
    }

    /**
     * A bus that follows the modern queue registers, and after each QueueNotify hands every newly used chain to
     * {@link #used}, which may edit guest memory as a broken device would have written it. Legacy (QueuePFN)
     * queues are not followed. Never throws: a chain it cannot walk is left alone.
     */
    abstract static class RingTap extends Bus {
        private final Supplier<Target> target;
        private final Map<Integer, long[]> queues = new HashMap<>(); // index -> {size, desc, driver, device}
        private int sel;

        RingTap(Context c) {
            super(c.device());
            this.target = c.target();
        }

        abstract void used(Chain chain, long usedElemGpa);

        @Override
        public void write(long offset, int width, long value) {
            if (width == 4) {
                long[] q = queues.computeIfAbsent(sel, k -> new long[4]);
                long v = value & 0xffffffffL;
                switch ((int) offset) {
                    case QUEUE_SEL -> sel = (int) value;
                    case QUEUE_NUM -> q[0] = v;
                    case QUEUE_DESC_LOW -> q[1] = (q[1] & ~0xffffffffL) | v;
                    case QUEUE_DESC_HIGH -> q[1] = (q[1] & 0xffffffffL) | v << 32;
                    case QUEUE_DRIVER_LOW -> q[2] = (q[2] & ~0xffffffffL) | v;
                    case QUEUE_DRIVER_HIGH -> q[2] = (q[2] & 0xffffffffL) | v << 32;
                    case QUEUE_DEVICE_LOW -> q[3] = (q[3] & ~0xffffffffL) | v;
                    case QUEUE_DEVICE_HIGH -> q[3] = (q[3] & 0xffffffffL) | v << 32;
                    default -> {
                    }
                }
            }
            if (offset != QUEUE_NOTIFY || width != 4 || device.config().legacy()) {
                super.write(offset, width, value);
                return;
            }
            int index = (int) (value & 0xffff);
            long[] q = queues.get(index);
            int before = q == null ? -1 : safeU16(q[3] + 2);
            super.write(offset, width, value);
            if (before < 0 || q[0] == 0) {
                return;
            }
            int after = safeU16(q[3] + 2);
            try {
                for (int i = before; i != after; i = (i + 1) & 0xffff) {
                    long elem = q[3] + 4 + 8L * (i % q[0]);
                    int id = (int) u32(elem);
                    used(new Chain(walk(q, id)), elem);
                }
            } catch (RuntimeException ignored) {
                // a ring the tap cannot follow: leave the device's work as it is
            }
        }

        private int safeU16(long gpa) {
            try {
                byte[] b = new byte[2];
                target.get().readMemory(gpa, b, 0, 2);
                return (b[0] & 0xff) | (b[1] & 0xff) << 8;
            } catch (RuntimeException e) {
                return -1;
            }
        }

        /** The chain's buffers: {gpa, len, writable}. */
        private List<long[]> walk(long[] q, int head) {
            List<long[]> bufs = new ArrayList<>();
            long table = q[1];
            long size = q[0];
            int i = head;
            for (int guard = 0; guard < 1024; guard++) {
                long d = table + 16L * i;
                long addr = u64(d);
                long len = u32(d + 8);
                int flags = u8(d + 12) | u8(d + 13) << 8;
                int next = u8(d + 14) | u8(d + 15) << 8;
                if ((flags & SplitRing.DESC_F_INDIRECT) != 0) {
                    table = addr;
                    size = len / 16;
                    i = 0;
                    continue;
                }
                bufs.add(new long[] {addr, len, (flags & SplitRing.DESC_F_WRITE) != 0 ? 1 : 0});
                if ((flags & SplitRing.DESC_F_NEXT) == 0 || next >= size) {
                    break;
                }
                i = next;
            }
            return bufs;
        }

        final class Chain {
            final List<long[]> bufs;

            Chain(List<long[]> bufs) {
                this.bufs = bufs;
            }

            /** The first {@code n} device-readable bytes, or null when there are fewer. */
            byte[] readable(int n) {
                byte[] out = new byte[n];
                int got = 0;
                for (long[] b : bufs) {
                    if (b[2] != 0 || got == n) {
                        continue;
                    }
                    int take = (int) Math.min(b[1], n - got);
                    target.get().readMemory(b[0], out, got, take);
                    got += take;
                }
                return got == n ? out : null;
            }

            long firstReadableGpa() {
                return bufs.isEmpty() || bufs.get(0)[2] != 0 || bufs.get(0)[1] == 0 ? -1 : bufs.get(0)[0];
            }

            /** The last byte of the last device-writable buffer: the blk status byte. */
            long statusGpa() {
                long[] last = bufs.isEmpty() ? null : bufs.get(bufs.size() - 1);
                return last == null || last[2] == 0 || last[1] == 0 ? -1 : last[0] + last[1] - 1;
            }
        }

        int u8(long gpa) {
            byte[] b = new byte[1];
            target.get().readMemory(gpa, b, 0, 1);
            return b[0] & 0xff;
        }

        long u32(long gpa) {
            byte[] b = new byte[4];
            target.get().readMemory(gpa, b, 0, 4);
            return (b[0] & 0xffL) | (b[1] & 0xffL) << 8 | (b[2] & 0xffL) << 16 | (b[3] & 0xffL) << 24;
        }

        long u64(long gpa) {
            return u32(gpa) | u32(gpa + 4) << 32;
        }

        void put8(long gpa, int v) {
            target.get().writeMemory(gpa, new byte[] {(byte) v}, 0, 1);
        }

        void put32(long gpa, long v) {
            byte[] b = {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
            target.get().writeMemory(gpa, b, 0, 4);
        }
    }
}
