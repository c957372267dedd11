package org.virtiotck.device;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.memory.SegmentGuestMemory;
import org.virtiotck.queue.Descriptor;
import org.virtiotck.queue.RingLayout;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;

/**
 * A careful, rule-abiding test driver: initializes the device the way §3.1 and §4.2.3 describe and builds
 * requests in guest RAM. Tests that want to break rules use the raw helpers.
 */
final class TestDriver {
    static final long RAM_BASE = 0x4000_0000L;
    static final int RAM_SIZE = 4 << 20;
    static final long DESC = RAM_BASE + 0x1000;
    static final long AVAIL = RAM_BASE + 0x10000;
    static final long USED = RAM_BASE + 0x20000;
    /** Buffers are carved from here upwards. */
    static final long HEAP = RAM_BASE + 0x100000;

    final SegmentGuestMemory mem = SegmentGuestMemory.allocate(RAM_BASE, RAM_SIZE);
    final List<Boolean> irqEdges = new ArrayList<>();
    final ReferenceBlockDevice dev;
    int queueSize = 16;
    long features;
    int nextDesc;
    int availIdx;
    int lastUsed;
    long heap = HEAP;

    TestDriver(BlockDeviceConfig config) {
        dev = new ReferenceBlockDevice(config, mem, irqEdges::add);
    }

    TestDriver() {
        this(BlockDeviceConfig.builder().build());
    }

    int r(int off) {
        return (int) dev.read(off, 4);
    }

    void w(int off, long v) {
        dev.write(off, 4, v);
    }

    long deviceFeatures() {
        w(DEVICE_FEATURES_SEL, 1);
        long hi = r(DEVICE_FEATURES) & 0xffffffffL;
        w(DEVICE_FEATURES_SEL, 0);
        long lo = r(DEVICE_FEATURES) & 0xffffffffL;
        return hi << 32 | lo;
    }

    void probe() {
        r(MAGIC_VALUE);
        r(VERSION);
        r(DEVICE_ID);
    }

    /** Status up to FEATURES_OK with the given driver features; returns whether FEATURES_OK stuck. */
    boolean negotiate(long driverFeatures) {
        probe();
        w(STATUS, 0);
        w(STATUS, DeviceStatus.ACKNOWLEDGE);
        w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        deviceFeatures();
        w(DRIVER_FEATURES_SEL, 0);
        w(DRIVER_FEATURES, driverFeatures & 0xffffffffL);
        w(DRIVER_FEATURES_SEL, 1);
        w(DRIVER_FEATURES, driverFeatures >>> 32);
        features = driverFeatures;
        w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        return (r(STATUS) & DeviceStatus.FEATURES_OK) != 0;
    }

    void setupQueue(int index, int size, long desc, long avail, long used) {
        w(QUEUE_SEL, index);
        if (r(QUEUE_READY) != 0) {
            throw new IllegalStateException("queue busy");
        }
        r(QUEUE_NUM_MAX);
        w(QUEUE_NUM, size);
        w(QUEUE_DESC_LOW, desc);
        w(QUEUE_DESC_HIGH, desc >>> 32);
        w(QUEUE_DRIVER_LOW, avail);
        w(QUEUE_DRIVER_HIGH, avail >>> 32);
        w(QUEUE_DEVICE_LOW, used);
        w(QUEUE_DEVICE_HIGH, used >>> 32);
        w(QUEUE_READY, 1);
    }

    void driverOk() {
        w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK);
    }

    /** Full modern init with all offered features accepted (minus {@code without}). */
    TestDriver init(long without) {
        long f = deviceFeatures() & ~without;
        if (!negotiate(f)) {
            throw new IllegalStateException("FEATURES_OK refused");
        }
        setupQueue(0, queueSize, DESC, AVAIL, USED);
        driverOk();
        return this;
    }

    TestDriver init() {
        return init(0);
    }

    /** Legacy init (§4.2.4): no FEATURES_OK, GuestPageSize/QueueAlign/QueuePFN. */
    TestDriver initLegacy(long without) {
        probe();
        w(GUEST_PAGE_SIZE, 4096);
        w(STATUS, 0);
        w(STATUS, DeviceStatus.ACKNOWLEDGE);
        w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        w(DEVICE_FEATURES_SEL, 0);
        long f = (r(DEVICE_FEATURES) & 0xffffffffL) & ~without;
        w(DRIVER_FEATURES_SEL, 0);
        w(DRIVER_FEATURES, f);
        features = f;
        w(QUEUE_SEL, 0);
        r(QUEUE_PFN);
        r(QUEUE_NUM_MAX);
        w(QUEUE_NUM, queueSize);
        w(QUEUE_ALIGN, 4096);
        w(QUEUE_PFN, DESC / 4096);
        w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.DRIVER_OK);
        return this;
    }

    /** The ids of the driver rules the device saw broken so far, in order. */
    List<String> violations() {
        return dev.driverViolations().stream().map(DriverViolation::requirementId).toList();
    }

    /** Writes each value to Status in turn. */
    TestDriver statuses(int... values) {
        for (int v : values) {
            w(STATUS, v);
        }
        return this;
    }

    /** Probe, then ACKNOWLEDGE and DRIVER: a driver that found the device and is about to read its features. */
    TestDriver acknowledged() {
        probe();
        w(STATUS, DeviceStatus.ACKNOWLEDGE);
        w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        return this;
    }

    /** Negotiates every offered feature and reads Status back, stopping before the queues are set up. */
    TestDriver featuresOk() {
        negotiate(deviceFeatures());
        r(STATUS);
        return this;
    }

    /** Legacy, up to a driver that knows the device: probe, GuestPageSize 4096, ACKNOWLEDGE, DRIVER. */
    TestDriver legacyDriver() {
        probe();
        w(GUEST_PAGE_SIZE, 4096);
        w(STATUS, DeviceStatus.ACKNOWLEDGE);
        w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        return this;
    }

    /** Legacy: queue 0 of {@code size} entries from DESC, 4096-aligned, made live by its QueuePFN. */
    void legacyQueue(int size) {
        w(QUEUE_SEL, 0);
        w(QUEUE_NUM, size);
        w(QUEUE_ALIGN, 4096);
        w(QUEUE_PFN, DESC / 4096);
    }

    /** Queue 0's rings: the modern addresses, or the legacy layout from DESC with 4096-byte alignment. */
    RingLayout rings() {
        return legacy() ? RingLayout.legacy(queueSize, DESC, 4096) : RingLayout.modern(queueSize, DESC, AVAIL, USED);
    }

    long legacyAvail() {
        return RingLayout.legacy(queueSize, DESC, 4096).avail();
    }

    long legacyUsed() {
        return RingLayout.legacy(queueSize, DESC, 4096).used();
    }

    boolean legacy() {
        return dev.config().legacy();
    }

    long availAddr() {
        return legacy() ? legacyAvail() : AVAIL;
    }

    long usedAddr() {
        return legacy() ? legacyUsed() : USED;
    }

    long alloc(int bytes) {
        long a = heap;
        heap += (bytes + 15) & ~15;
        return a;
    }

    /** One buffer of a chain. */
    record Buf(long addr, int len, boolean writable) {}

    static Buf ro(long addr, int len) {
        return new Buf(addr, len, false);
    }

    static Buf wr(long addr, int len) {
        return new Buf(addr, len, true);
    }

    void writeDesc(long table, int index, long addr, int len, int flags, int next) {
        new Descriptor(addr, len, flags, next).write(mem, table + Descriptor.offset(index));
    }

    /** Writes the chain into the descriptor table, returns its head. */
    int chain(Buf... bufs) {
        int head = nextDesc;
        for (int i = 0; i < bufs.length; i++) {
            int idx = (nextDesc + i) % queueSize;
            boolean last = i == bufs.length - 1;
            int flags = (bufs[i].writable ? SplitRing.DESC_F_WRITE : 0) | (last ? 0 : SplitRing.DESC_F_NEXT);
            writeDesc(DESC, idx, bufs[i].addr, bufs[i].len, flags, (idx + 1) % queueSize);
        }
        nextDesc = (nextDesc + bufs.length) % queueSize;
        return head;
    }

    void publish(int head) {
        mem.writeLe16(rings().availEntry(availIdx), head);
        availIdx = (availIdx + 1) & 0xffff;
        mem.writeLe16(rings().availIdx(), availIdx);
    }

    void notifyQueue(int q) {
        w(QUEUE_NOTIFY, q);
    }

    int usedIdx() {
        return mem.readLe16(rings().usedIdx());
    }

    /** used element {id, len} at slot. */
    long[] usedElem(int slot) {
        UsedElem e = UsedElem.read(mem, rings().usedEntry(slot));
        return new long[] {Integer.toUnsignedLong(e.id()), e.lenUnsigned()};
    }

    /** Result of a request: status byte, used len, data read back. */
    record Result(int status, long usedLen, byte[] data, int id) {}

    long header(int type, long sector) {
        long h = alloc(16);
        mem.writeLe32(h, type);
        mem.writeLe32(h + 4, 0);
        mem.writeLe64(h + 8, sector);
        return h;
    }

    /** Submits a chain, notifies, and returns {status, len} of the new used element. */
    Result submit(Buf... bufs) {
        int head = chain(bufs);
        publish(head);
        notifyQueue(0);
        return collect(bufs, head);
    }

    Result collect(Buf[] bufs, int head) {
        int used = usedIdx();
        if (used == lastUsed) {
            return null;
        }
        long[] e = usedElem(lastUsed);
        lastUsed = (lastUsed + 1) & 0xffff;
        Buf last = bufs[bufs.length - 1];
        int status = mem.readU8(last.addr + last.len - 1);
        return new Result(status, e[1], null, (int) e[0]);
    }

    Result read(long sector, int bytes) {
        long h = header(Blk.T_IN, sector);
        long data = alloc(bytes);
        long st = alloc(1);
        mem.writeU8(st, 0xff);
        Result r = submit(ro(h, 16), wr(data, bytes), wr(st, 1));
        return r == null ? null : new Result(r.status, r.usedLen, mem.read(data, bytes), r.id);
    }

    Result write(long sector, byte[] payload) {
        long h = header(Blk.T_OUT, sector);
        long data = alloc(payload.length);
        mem.write(data, payload);
        long st = alloc(1);
        mem.writeU8(st, 0xff);
        return submit(ro(h, 16), ro(data, payload.length), wr(st, 1));
    }

    Result simple(int type, long sector) {
        long h = header(type, sector);
        long st = alloc(1);
        mem.writeU8(st, 0xff);
        return submit(ro(h, 16), wr(st, 1));
    }

    /** GET_ID into the {@code len} bytes at {@code id}, then a status byte. */
    Result getId(long id, int len) {
        long h = header(Blk.T_GET_ID, 0);
        long st = alloc(1);
        return submit(ro(h, 16), wr(id, len), wr(st, 1));
    }

    int ackAll() {
        int s = r(INTERRUPT_STATUS);
        w(INTERRUPT_ACK, s);
        return s;
    }

    static long bit(int b) {
        return FeatureBit.mask(b);
    }

    static byte[] pattern(int len, int seed) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
