package org.virtiotck.tck.driver;

import static org.virtiotck.spec.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.spec.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.virtiotck.spec.DeviceStatus.DRIVER;
import static org.virtiotck.spec.DeviceStatus.DRIVER_OK;
import static org.virtiotck.spec.DeviceStatus.FAILED;
import static org.virtiotck.spec.DeviceStatus.FEATURES_OK;
import static org.virtiotck.spec.MmioRegister.*;

import java.util.Arrays;
import java.util.List;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.SplitQueue.Buf;
import org.virtiotck.tck.spi.InterruptObserver;
import org.virtiotck.tck.spi.Target;

/**
 * A careful virtio-mmio + virtio-blk driver over the target SPI.
 *
 * <p>The careful path ({@link #initialize(long)}, {@link #submit(int, BlkRequest)}) follows every driver rule:
 * initialization in the order a Linux guest uses (§3.1.1; see docs/init-sequence.md), feature negotiation with
 * the FEATURES_OK re-read, queue setup for the modern and the legacy layout, requests built in guest RAM, and
 * completion by interrupt when the target exposes its line, or by polling otherwise. A strict device model
 * must never record a violation against it.
 *
 * <p>The individual steps are public too, so tests can stop half way, reorder them, or use the raw accessors
 * of {@link #mmio()} to break rules on purpose.
 */
public final class BlkDriver {
    /** Feature bits this driver knows how to use; it never accepts anything else (features.drv.4). */
    public static final long SUPPORTED_FEATURES = mask(
            FeatureBit.BLK_SIZE_MAX, FeatureBit.BLK_SEG_MAX, FeatureBit.BLK_GEOMETRY, FeatureBit.BLK_RO,
            FeatureBit.BLK_BLK_SIZE, FeatureBit.BLK_FLUSH, FeatureBit.BLK_TOPOLOGY, FeatureBit.BLK_CONFIG_WCE,
            FeatureBit.BLK_MQ, FeatureBit.BLK_DISCARD, FeatureBit.BLK_WRITE_ZEROES, FeatureBit.BLK_LIFETIME,
            FeatureBit.BLK_SECURE_ERASE, FeatureBit.INDIRECT_DESC, FeatureBit.EVENT_IDX, FeatureBit.VERSION_1,
            FeatureBit.RING_RESET, FeatureBit.ANY_LAYOUT);

    /** Legacy guest page size and ring alignment, as Linux uses them. */
    public static final int LEGACY_PAGE_SIZE = 4096;
    public static final int LEGACY_ALIGN = 4096;

    private final Target target;
    private final Mmio mmio;
    private final GuestRam ram;
    private final InterruptObserver irq;
    private int version;
    private long deviceFeatures;
    private long negotiated;
    private SplitQueue[] queues = new SplitQueue[0];
    private int interruptStatusSeen;
    private boolean guestPageSizeWritten;
    private boolean refusalsJudged;

    public BlkDriver(Target target) {
        this.target = target;
        this.mmio = new Mmio(target);
        this.ram = new GuestRam(target);
        this.irq = target.interrupts().orElse(null);
    }

    public static long mask(int... bits) {
        long m = 0;
        for (int b : bits) {
            m |= FeatureBit.mask(b);
        }
        return m;
    }

    public Target target() {
        return target;
    }

    public Mmio mmio() {
        return mmio;
    }

    public GuestRam ram() {
        return ram;
    }

    /** The observed interrupt line, or null when the harness must poll InterruptStatus. */
    public InterruptObserver interruptLine() {
        return irq;
    }

    public int version() {
        if (version == 0) {
            version = mmio.read(VERSION);
        }
        return version;
    }

    public boolean legacy() {
        return version() == VERSION_LEGACY;
    }

    public long deviceFeatures() {
        return deviceFeatures;
    }

    public long negotiated() {
        return negotiated;
    }

    public boolean negotiated(int bit) {
        return FeatureBit.has(negotiated, bit);
    }

    public boolean offered(int bit) {
        return FeatureBit.has(deviceFeatures, bit);
    }

    public SplitQueue queue(int i) {
        return queues[i];
    }

    public int queueCount() {
        return queues.length;
    }

    /** InterruptStatus bits the driver has seen and acknowledged since the last {@link #clearSeenInterrupts()}. */
    public int seenInterrupts() {
        return interruptStatusSeen;
    }

    public void clearSeenInterrupts() {
        interruptStatusSeen = 0;
    }

    // ---------------------------------------------------------------- initialization, step by step

    /** Identification: MagicValue, Version, DeviceID, VendorID, in that order. */
    public int[] identify() {
        int magic = mmio.read(MAGIC_VALUE);
        version = mmio.read(VERSION);
        int deviceId = mmio.read(DEVICE_ID);
        int vendor = mmio.read(VENDOR_ID);
        return new int[] {magic, version, deviceId, vendor};
    }

    /** Writes 0 to Status and waits, bounded, until it reads 0 (reset.drv.1). Returns whether it did. */
    public boolean reset() {
        mmio.setStatus(0);
        Deadline d = Deadline.in(Timeouts.reset());
        for (int attempt = 0; ; attempt++) {
            if (mmio.status() == 0) {
                break;
            }
            if (d.expired()) {
                return false;
            }
            d.pause(attempt);
        }
        for (SplitQueue q : queues) {
            q.abandonInFlight();
        }
        queues = new SplitQueue[0];
        negotiated = 0;
        ram.releaseAll();
        return true;
    }

    /**
     * The start every initialization shares (§3.1.1 steps 1 to 3 and the offer of step 4): identification,
     * reset, ACKNOWLEDGE, DRIVER, then the device's feature bits read. Returns whether the reset completed
     * (Status read 0 in time); the offer is then in {@link #deviceFeatures()}.
     */
    public boolean begin() {
        identify();
        boolean resetDone = reset();
        acknowledge();
        return resetDone;
    }

    /** ACKNOWLEDGE, DRIVER, then the device's feature bits read (§3.1.1 steps 2 to 4); returns the offer. */
    public long acknowledge() {
        addStatus(ACKNOWLEDGE);
        addStatus(DRIVER);
        return readDeviceFeatures();
    }

    /** {@link #begin()} for callers that cannot go on without a completed reset. */
    public BlkDriver beginOrFail() {
        if (!begin()) {
            throw new AssertionError("Status did not read 0 after reset");
        }
        return this;
    }

    /**
     * Writes {@code chosen} and, on a modern transport, sets FEATURES_OK and re-reads it (init.drv.5). Returns
     * whether the device kept FEATURES_OK (always true on a legacy transport, which has no such step).
     */
    public boolean negotiate(long chosen) {
        writeDriverFeatures(chosen);
        return legacy() || featuresOk();
    }

    /** Sets a status bit the way Linux does: read the current value, write it back with the bit added. */
    public int addStatus(int bit) {
        int s = mmio.status();
        mmio.setStatus(s | bit);
        return s | bit;
    }

    /** Reads the 64 device feature bits: the high word first, then the low word, as Linux does. */
    public long readDeviceFeatures() {
        deviceFeatures = mmio.deviceFeatures(legacy());
        return deviceFeatures;
    }

    /** Writes the driver's feature choice (high word first); a legacy transport only has the low word. */
    public void writeDriverFeatures(long features) {
        mmio.driverFeatures(features, legacy());
        negotiated = features;
    }

    /**
     * Sets FEATURES_OK and re-reads Status (init.drv.5); returns whether the device kept the bit. A refusal
     * {@link DeviceRefusals} calls owed SKIPs the calling test.
     */
    public boolean featuresOk() {
        addStatus(FEATURES_OK);
        boolean kept = (mmio.status() & FEATURES_OK) != 0;
        if (!kept && !refusalsJudged) {
            DeviceRefusals.featuresOkRefused(this, deviceFeatures & ~negotiated);
        }
        return kept;
    }

    /** What the careful driver accepts from an offer: what it supports and the device offered. */
    public long choose(long wanted) {
        long chosen = deviceFeatures & SUPPORTED_FEATURES & wanted;
        // A modern driver must accept VERSION_1 (reserved.drv.1); a legacy one must accept ANY_LAYOUT
        // (reserved-legacy.drv.1) when the device offers it.
        chosen |= deviceFeatures & FeatureBit.mask(legacy() ? FeatureBit.ANY_LAYOUT : FeatureBit.VERSION_1);
        return chosen;
    }

    /**
     * Sets up queue {@code index} with {@code size} entries (0 = the device's maximum, capped at 256) and
     * enables it. Returns null when the queue does not exist (QueueNumMax 0).
     */
    public SplitQueue setupQueue(int index, int size) {
        mmio.write(QUEUE_SEL, index);
        if (legacy()) {
            if (mmio.read(QUEUE_PFN) != 0) {
                throw new AssertionError("queue " + index + " reads a non-zero QueuePFN before the driver set it"
                        + " (a reset must zero QueuePFN, mmio-legacy.dev.5)");
            }
        } else if (mmio.read(QUEUE_READY) != 0) {
            // The driver reset the device, so a ready queue here is the device's fault (mmio.dev.6).
            throw new AssertionError("queue " + index + " reads QueueReady 1 before the driver enabled it"
                    + " (a reset must clear QueueReady, mmio.dev.6)");
        }
        int max = mmio.read(QUEUE_NUM_MAX);
        if (max == 0) {
            return null;
        }
        int n = size > 0 ? size : Math.min(max, 256);
        if (legacy() && !guestPageSizeWritten) {
            writeGuestPageSize();
        }
        if (Integer.compareUnsigned(n, max) > 0) {
            throw new HarnessError("queue " + index + ": size " + n + " exceeds QueueNumMax " + max);
        }
        mmio.write(QUEUE_NUM, n);
        SplitQueue q;
        if (legacy()) {
            q = SplitQueue.allocateLegacy(ram, index, n, LEGACY_PAGE_SIZE, LEGACY_ALIGN);
            mmio.write(QUEUE_ALIGN, LEGACY_ALIGN);
            mmio.write(QUEUE_PFN, (int) (q.layout().desc() / LEGACY_PAGE_SIZE));
        } else {
            q = SplitQueue.allocateModern(ram, index, n);
            mmio.queueAddresses(q.layout().desc(), q.layout().avail(), q.layout().used());
            mmio.write(QUEUE_READY, 1);
        }
        if (queues.length <= index) {
            queues = Arrays.copyOf(queues, index + 1);
        }
        queues[index] = q;
        return q;
    }

    /**
     * Places queue {@code index} at rings the caller laid out: QueueSel, QueueNum {@code size}, then the three
     * ring addresses (modern) or GuestPageSize, QueueAlign and the page number of {@code desc} (legacy), and
     * enables it when {@code ready}. Unlike {@link #setupQueue} it checks nothing and does not track the queue:
     * it is for tests that place rings where the careful driver would not.
     */
    public void placeQueue(int index, int size, long desc, long avail, long used, boolean ready) {
        mmio.write(QUEUE_SEL, index);
        mmio.write(QUEUE_NUM, size);
        if (legacy()) {
            writeGuestPageSize();
            mmio.write(QUEUE_ALIGN, LEGACY_ALIGN);
            if (ready) {
                mmio.write(QUEUE_PFN, (int) (desc / LEGACY_PAGE_SIZE));
            }
            return;
        }
        mmio.queueAddresses(desc, avail, used);
        if (ready) {
            mmio.write(QUEUE_READY, 1);
        }
    }

    /** Enables a queue placed with {@code ready} false: QueueReady 1 (modern) or the page number of desc (legacy). */
    public void enableQueue(int index, long desc) {
        mmio.write(QUEUE_SEL, index);
        if (legacy()) {
            mmio.write(QUEUE_PFN, (int) (desc / LEGACY_PAGE_SIZE));
        } else {
            mmio.write(QUEUE_READY, 1);
        }
    }

    /** Legacy transports need the guest page size before any queue is configured. */
    public void writeGuestPageSize() {
        mmio.write(GUEST_PAGE_SIZE, LEGACY_PAGE_SIZE);
        guestPageSizeWritten = true;
    }

    public void driverOk() {
        addStatus(DRIVER_OK);
    }

    /** Gives up on the device, as a driver must when FEATURES_OK was refused. */
    public void fail() {
        addStatus(FAILED);
    }

    /** The result of a careful initialization. */
    public record Init(boolean ok, long offered, long negotiated, int queues, String problem) {}

    /**
     * The whole careful initialization (§3.1.1) in Linux's order, negotiating {@code wanted} ∩ offered ∩
     * supported, setting up every request queue (num_queues with MQ, else one) with up to 256 entries.
     */
    public Init initialize(long wanted) {
        return initialize(wanted, 0);
    }

    public Init initialize(long wanted, int queueSize) {
        int[] id = identify();
        // Like Linux, give up on anything that does not identify as a virtio-mmio block device.
        if (id[0] != MAGIC) {
            return new Init(false, 0, 0, 0, "MagicValue reads 0x" + Integer.toHexString(id[0])
                    + ", not 0x74726976: not a virtio-mmio device");
        }
        if (id[1] != VERSION_MODERN && id[1] != VERSION_LEGACY) {
            return new Init(false, 0, 0, 0, "unknown Version " + id[1]);
        }
        if (id[2] != Blk.DEVICE_ID) {
            return new Init(false, 0, 0, 0, "DeviceID " + id[2] + " is not a block device (2)");
        }
        if (!reset()) {
            return new Init(false, 0, 0, 0, "Status did not read 0 after reset");
        }
        acknowledge();
        return finish(choose(wanted), queueSize);
    }

    /**
     * The rest of a careful initialization once the offer is read: negotiates {@code chosen}, sets up every
     * request queue (num_queues with MQ, else one) with {@code queueSize} entries (0 = up to 256), reads the
     * configuration and sets DRIVER_OK. On a refusal the driver sets FAILED and says why.
     */
    public Init finish(long chosen, int queueSize) {
        if (!negotiate(chosen)) {
            fail();
            return new Init(false, deviceFeatures, chosen, 0, "device refused FEATURES_OK for "
                    + FeatureBit.describe(chosen));
        }
        int count = 1;
        if (FeatureBit.has(chosen, FeatureBit.BLK_MQ)) {
            count = Math.max(1, readConfig().numQueues());
        }
        for (int i = 0; i < count; i++) {
            if (setupQueue(i, queueSize) == null) {
                fail();
                return new Init(false, deviceFeatures, chosen, i, "queue " + i + " reports QueueNumMax 0");
            }
        }
        readConfig();
        driverOk();
        return new Init(true, deviceFeatures, chosen, count, null);
    }

    /** Initializes with everything the driver supports; fails the calling test when the device refuses. */
    public BlkDriver initializeOrFail() {
        Init init = initialize(-1L);
        if (!init.ok()) {
            throw new AssertionError("careful initialization failed: " + init.problem());
        }
        return this;
    }

    // ---------------------------------------------------------------- configuration space

    /**
     * Reads the whole configuration consistently (see {@link BlkConfig#read}). The writeback byte is only read
     * after FEATURES_OK (blk.drv.4).
     */
    public BlkConfig readConfig() {
        return BlkConfig.read(mmio, deviceFeatures, legacy(), legacy() || (mmio.status() & FEATURES_OK) != 0);
    }

    // ---------------------------------------------------------------- requests

    /** A request whose chain has been built and made available but whose completion has not been awaited. */
    public record Pending(SplitQueue queue, int head, BlkRequest request, long inGpa, long statusGpa,
                          int writableBytes, long scratchMark) {}

    /** Builds the request's chain in guest RAM, makes it available and notifies the device. */
    public Pending post(int queueIndex, BlkRequest req) {
        Pending p = build(queueIndex, req);
        p.queue().publish(p.head());
        kick(p.queue());
        return p;
    }

    /** Builds the chain without making it available (for tests that batch or reorder). */
    public Pending build(int queueIndex, BlkRequest req) {
        return build(queues[queueIndex], req);
    }

    /** Builds the chain on {@code q}, which may be a queue the test set up itself. */
    public Pending build(SplitQueue q, BlkRequest req) {
        if (req.layout().needsIndirect() && !negotiated(FeatureBit.INDIRECT_DESC)) {
            throw new HarnessError(req.layout() + " layout needs VIRTIO_F_INDIRECT_DESC negotiated");
        }
        long mark = ram.mark();
        byte[] header = req.header();
        long hdr = ram.alloc(header.length + req.out().length, 16);
        ram.write(hdr, header);
        if (req.out().length > 0) {
            ram.write(hdr + header.length, req.out());
        }
        long in = ram.alloc(req.inLength() + 1L, 16);
        // Fill the writable area with a pattern so that a device that reports bytes it did not write is seen.
        byte[] pattern = new byte[req.inLength() + 1];
        Arrays.fill(pattern, (byte) 0xa5);
        ram.write(in, pattern);
        long status = in + req.inLength();

        List<Buf> all = req.layout().cut(hdr, header.length, req.out().length, in, req.inLength());
        int head = switch (req.layout()) {
            case INDIRECT -> q.addIndirectChain(List.of(), all);
            case DIRECT_THEN_INDIRECT -> q.addIndirectChain(all.subList(0, 1), all.subList(1, all.size()));
            default -> q.addChain(all);
        };
        return new Pending(q, head, req, in, status, req.inLength() + 1, mark);
    }

    /**
     * Notifies the device about new available buffers, honouring its suppression wishes: with EVENT_IDX only
     * when the new avail idx passed avail_event (split.drv.24, split.drv.25), otherwise unless the device set
     * VIRTQ_USED_F_NO_NOTIFY (split.drv.21, split.drv.22). Returns whether it notified.
     */
    public boolean kick(SplitQueue q) {
        int old = q.takeKickedIdx();
        if (negotiated(FeatureBit.EVENT_IDX)) {
            q.setUsedEvent(q.lastUsedIdx());
            if (!SplitRing.needEvent(q.availEvent(), q.availIdx(), old)) {
                return false;
            }
        } else if ((q.usedFlags() & SplitRing.USED_F_NO_NOTIFY) != 0) {
            return false;
        }
        mmio.write(QUEUE_NOTIFY, q.index());
        return true;
    }

    /** Posts a request and waits, bounded, for its completion; frees its buffers afterwards. */
    public Completion submit(int queueIndex, BlkRequest req) {
        Pending p = post(queueIndex, req);
        Completion c = await(p);
        ram.resetTo(p.scratchMark());
        return c;
    }

    public Completion submit(BlkRequest req) {
        return submit(0, req);
    }

    /**
     * Waits until the device uses the pending chain. Interrupts are handled as a driver must: on an interrupt,
     * read InterruptStatus and acknowledge exactly the bits seen (mmio.drv.18, mmio.drv.19).
     *
     * @throws CompletionTimeout when nothing comes back in time
     */
    public Completion await(Pending p) {
        UsedElem e = awaitUsed(p.queue(), true);
        return complete(p, e);
    }

    /**
     * Reads the request's results after the device reported {@code e}. A refusal {@link DeviceRefusals} calls
     * owed SKIPs the calling test.
     */
    public Completion complete(Pending p, UsedElem e) {
        byte[] data = ram.read(p.inGpa(), p.request().inLength());
        int status = ram.u8(p.statusGpa());
        if (status == Blk.S_IOERR && !refusalsJudged) {
            DeviceRefusals.requestFailed(this, p.request());
        }
        return new Completion(p.head(), e.id(), e.len(), status, data, p.writableBytes());
    }

    /** For the tests of what a device must refuse: its owed refusals are theirs to judge, not SKIPs. */
    public BlkDriver judgingRefusals() {
        refusalsJudged = true;
        return this;
    }

    /**
     * Waits for the next used element of {@code q}, handling interrupts on the way if asked to. While it waits it
     * also watches Status: a device that sets DEVICE_NEEDS_RESET instead of serving is reported at once, not
     * after the whole bound.
     *
     * @throws CompletionTimeout when nothing comes back in time, or the device gave up (DEVICE_NEEDS_RESET)
     */
    public UsedElem awaitUsed(SplitQueue q, boolean handleInterrupts) {
        Deadline d = Deadline.in(Timeouts.completion());
        long t0 = System.nanoTime();
        for (int attempt = 0; ; attempt++) {
            if (handleInterrupts) {
                serviceInterrupt();
            }
            UsedElem e = q.takeUsed();
            if (e != null) {
                if (handleInterrupts) {
                    serviceInterrupt();
                }
                return e;
            }
            // Spin first (synchronous devices answer at once), then look at Status on every back-off step.
            boolean expired = d.expired();
            if (expired || (attempt >= 64 && attempt % 4 == 0)) {
                int status = mmio.status();
                if ((status & DEVICE_NEEDS_RESET) != 0 && q.pendingUsed() == 0) {
                    throw new CompletionTimeout(q.index(), (System.nanoTime() - t0) / 1_000_000, status,
                            q.availIdx(), q.deviceUsedIdx(), interruptStatusSeen, irqState());
                }
                if (expired && q.pendingUsed() == 0) {
                    throw new CompletionTimeout(q.index(), d.budget().toMillis(), status, q.availIdx(),
                            q.deviceUsedIdx(), interruptStatusSeen, irqState());
                }
            }
            d.pause(attempt);
        }
    }

    /** The interrupt line as the harness sees it, for failure reports. */
    private String irqState() {
        return irq == null ? "line not observable" : irq.asserted() ? "line asserted" : "line low";
    }

    /**
     * If an interrupt is pending, reads InterruptStatus and acknowledges exactly its bits. With an observable
     * line, the register is only read while the line is asserted.
     */
    public int serviceInterrupt() {
        if (irq != null && !irq.asserted()) {
            return 0;
        }
        int bits = mmio.read(INTERRUPT_STATUS);
        // Acknowledge only the bits the spec defines (mmio.drv.19); undefined ones are the device's problem.
        int handled = bits & (INT_USED_BUFFER | INT_CONFIG_CHANGE);
        if (handled != 0) {
            mmio.write(INTERRUPT_ACK, handled);
            interruptStatusSeen |= handled;
        }
        return bits;
    }

    // ---------------------------------------------------------------- conveniences

    public Completion read(long sector, int bytes) {
        return submit(BlkRequest.read(sector, bytes));
    }

    public Completion write(long sector, byte[] data) {
        return submit(BlkRequest.write(sector, data));
    }

    public Completion flush() {
        return submit(BlkRequest.flush());
    }

    /** Whether the device's capacity, read consistently, covers {@code sectors}. */
    public long capacity() {
        return readConfig().capacity();
    }
}
