package org.virtiotck.device;

import static org.virtiotck.spec.DeviceStatus.*;
import static org.virtiotck.spec.FeatureBit.*;
import static org.virtiotck.spec.MmioRegister.*;

import org.virtiotck.memory.GuestMemory;
import org.virtiotck.queue.LivePolicy;
import org.virtiotck.queue.QueueRegisters;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;

/**
 * The virtio-mmio register file (§4.2.2 modern, §4.2.4 legacy), device status and feature negotiation
 * (§2.1, §2.2, §3.1), interrupts, and synchronous split-virtqueue processing on QueueNotify (§2.7).
 *
 * <p>The device decides FEATURES_OK itself ({@link FeatureNegotiation}). Driver-side rule checks are observed by
 * {@link DriverRuleChecker} through a read-only {@link TransportView}; structural ring validation is done by
 * {@link DescriptorChainValidator} and block request semantics by {@link BlockRequestHandler}.
 */
final class MmioTransport implements TransportView {
    private static final int DRIVER_STATUS_BITS = ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK | FAILED;
    /** Legacy Linux and QEMU use 4 KiB when a driver never set GuestPageSize / QueueAlign. */
    static final int DEFAULT_LEGACY_PAGE = QueueRegisters.DEFAULT_LEGACY_PAGE;

    final BlockDeviceConfig config;
    final boolean legacy;
    final long offered;
    final GuestMemory memory;
    private final InterruptLine irq;
    final DriverRuleChecker checker;
    private final FeatureNegotiation negotiation;
    final BlkConfigSpace blkConfig;
    final VirtQueue[] queues;
    private final DescriptorChainValidator validator = new DescriptorChainValidator();
    private final DescriptorChain chain = new DescriptorChain();
    private final BlockRequestHandler handler;

    int status;
    long driverFeatures;
    /** Features in force: fixed at FEATURES_OK (modern); the live driver features (legacy). */
    long negotiated;
    int deviceFeaturesSel;
    int driverFeaturesSel;
    int queueSel;
    int shmSel;
    int interruptStatus;
    private boolean lineLevel;
    int configGeneration;
    /** Legacy GuestPageSize; survives reset because Linux writes it once, before its initial reset. */
    int guestPageSize;
    /** The last FEATURES_OK write was refused (features.dev.3). */
    boolean featuresOkRefused;
    /** DEVICE_NEEDS_RESET was raised: nothing is processed until the driver resets the device. */
    boolean broken;
    String needsResetReason;

    MmioTransport(BlockDeviceConfig config, GuestMemory memory, InterruptLine irq, BlockBackend backend) {
        this.config = config;
        this.legacy = config.legacy();
        this.offered = config.offeredFeatures();
        this.memory = memory;
        this.irq = irq;
        this.negotiation = new FeatureNegotiation(offered, config.zonedModel());
        this.blkConfig = new BlkConfigSpace(config);
        this.queues = new VirtQueue[config.numQueues()];
        for (int i = 0; i < queues.length; i++) {
            queues[i] = new VirtQueue(i, config.queueNumMax());
        }
        this.checker = new DriverRuleChecker(this, config, memory);
        this.handler = new BlockRequestHandler(this, backend);
    }

    @Override
    public boolean negotiatedBit(int bit) {
        return has(negotiated, bit);
    }

    @Override
    public VirtQueue selectedQueue() {
        return queueSel >= 0 && queueSel < queues.length ? queues[queueSel] : null;
    }

    // ------------------------------------------------------------------ what the driver-rule checker sees

    @Override
    public int status() {
        return status;
    }

    @Override
    public int driverFeaturesSel() {
        return driverFeaturesSel;
    }

    @Override
    public boolean featuresOkRefused() {
        return featuresOkRefused;
    }

    // ------------------------------------------------------------------ register reads

    long read(long offset, int width) {
        checker.onRead(offset, width);
        if (offset >= CONFIG) {
            return blkConfig.read(offset - CONFIG, width);
        }
        if (width == 4 && (offset & 3) == 0) {
            return readRegister((int) offset) & 0xffffffffL;
        }
        // Odd-sized or unaligned control access (already recorded as mmio.drv.4): return the bytes of the
        // 32-bit registers it overlaps, without further side effects.
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            long o = offset + i;
            int reg = o < CONFIG ? readRegister((int) (o & ~3L)) : (int) blkConfig.read(o - CONFIG, 1);
            int b = o < CONFIG ? (reg >>> (8 * (int) (o & 3))) & 0xff : reg & 0xff;
            v = (v << 8) | b;
        }
        return v;
    }

    private int readRegister(int off) {
        VirtQueue q = selectedQueue();
        switch (off) {
            case MAGIC_VALUE:
                return MAGIC;
            case VERSION:
                return legacy ? VERSION_LEGACY : VERSION_MODERN;
            case DEVICE_ID:
                return Blk.DEVICE_ID;
            case VENDOR_ID:
                return config.vendorId();
            case DEVICE_FEATURES:
                // Legacy has only 32 feature bits: every other word reads 0.
                if (legacy) {
                    return deviceFeaturesSel == 0 ? (int) offered : 0;
                }
                return deviceFeaturesSel == 0 ? (int) offered : deviceFeaturesSel == 1 ? (int) (offered >>> 32) : 0;
            case QUEUE_NUM_MAX:
                return q == null ? 0 : q.maxSize;
            case QUEUE_READY:
                return legacy || q == null ? 0 : q.readyValue;
            case QUEUE_PFN:
                return legacy && q != null ? q.pfn : 0;
            case INTERRUPT_STATUS:
                return interruptStatus;
            case STATUS:
                return status;
            case SHM_LEN_LOW:
            case SHM_LEN_HIGH:
            case SHM_BASE_LOW:
            case SHM_BASE_HIGH:
                // blk has no shared memory regions: every id is unused (mmio-desc.dev.8).
                return legacy ? 0 : -1;
            case QUEUE_RESET:
                // Our queue reset completes immediately, so it never reads 1 (mmio.dev.9, mmio.dev.10, mmio.dev.13).
                return 0;
            case CONFIG_GENERATION:
                return legacy ? 0 : configGeneration;
            default:
                // Write-only and undefined registers read as 0.
                return 0;
        }
    }

    // ------------------------------------------------------------------ register writes

    void write(long offset, int width, long value) {
        checker.onWrite(offset, width, value);
        if (offset >= CONFIG) {
            writeConfig(offset - CONFIG, width, value);
            return;
        }
        if (width != 4 || (offset & 3) != 0) {
            return; // ignored; recorded as mmio.drv.4
        }
        int v = (int) value;
        VirtQueue q = selectedQueue();
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = v;
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = v;
            case DRIVER_FEATURES -> writeDriverFeatures(v);
            case GUEST_PAGE_SIZE -> {
                if (legacy) {
                    guestPageSize = v;
                }
            }
            case QUEUE_SEL -> queueSel = v;
            case QUEUE_NUM, QUEUE_ALIGN, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH,
                 QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH -> {
                if (q != null) {
                    // mmio.drv.15: ignored while the queue is live (the rules: org.virtiotck.queue)
                    q.writeLayout((int) offset, v, legacy, guestPageSize, LivePolicy.IGNORE);
                }
            }
            case QUEUE_PFN -> {
                if (legacy && q != null) {
                    writeQueuePfn(q, v);
                }
            }
            case QUEUE_READY -> {
                if (!legacy && q != null) {
                    writeQueueReady(q, v);
                }
            }
            case QUEUE_NOTIFY -> notifyQueue(v);
            case INTERRUPT_ACK -> {
                interruptStatus &= ~v;
                updateLine();
            }
            case STATUS -> writeStatus(v);
            case SHM_SEL -> {
                if (!legacy) {
                    shmSel = v;
                }
            }
            case QUEUE_RESET -> {
                if (!legacy && q != null && v == 1 && negotiatedBit(RING_RESET) && (status & FEATURES_OK) != 0) {
                    // Completes at once: QueueReset and QueueReady read 0 (mmio.dev.11, mmio.dev.12, mmio.dev.13,
                    // vq.dev.1, vq.dev.2).
                    q.reset();
                    q.wasQueueReset = true;
                }
            }
            default -> {
                // Read-only and undefined registers ignore writes (recorded by the checker).
            }
        }
    }

    private void writeDriverFeatures(int v) {
        // init.drv.4: after FEATURES_OK the negotiated set is frozen; later writes are ignored.
        if (!legacy && (status & FEATURES_OK) != 0) {
            return;
        }
        long word = v & 0xffffffffL;
        if (driverFeaturesSel == 0) {
            driverFeatures = (driverFeatures & 0xffffffff00000000L) | word;
        } else if (driverFeaturesSel == 1 && !legacy) {
            driverFeatures = (driverFeatures & 0xffffffffL) | (word << 32);
        }
        if (legacy) {
            // Legacy has no FEATURES_OK: what the driver accepted (of what was offered) is in force at once.
            negotiated = driverFeatures & offered;
        }
    }

    private void writeQueueReady(VirtQueue q, int v) {
        if (v != 0 && q.readyValue == 0) {
            // (Re-)enabling starts from a clean ring position (vq.dev.2, vq.dev.3).
            q.lastAvail = 0;
            q.usedIdx = 0;
            q.ringFlagsChecked = false;
        }
        q.readyValue = v;
    }

    private void writeQueuePfn(VirtQueue q, int v) {
        q.writeLayout(QUEUE_PFN, v, true, guestPageSize, LivePolicy.IGNORE);
        q.lastAvail = 0;
        q.usedIdx = 0;
        q.ringFlagsChecked = false;
    }

    static boolean validPowerOfTwo(int v) {
        return QueueRegisters.powerOfTwo(v);
    }

    private void writeConfig(long off, int width, long value) {
        // Only writeback is driver-writable (§5.2.4); everything else ignores writes (recorded by the checker).
        for (int i = 0; i < width; i++) {
            if (off + i == Blk.CFG_WRITEBACK && writebackWritable()) {
                int b = (int) (value >>> (8 * i)) & 0xff;
                blkConfig.setWriteback(b == 0 ? 0 : 1);
            }
        }
    }

    /** blk.drv.22: with CONFIG_WCE negotiated; legacy drivers may write it even before negotiation (§5.2.5.1). */
    boolean writebackWritable() {
        if (!has(offered, BLK_CONFIG_WCE)) {
            return false;
        }
        if (legacy) {
            return (status & DRIVER_OK) == 0 || negotiatedBit(BLK_CONFIG_WCE);
        }
        return (status & FEATURES_OK) != 0 && negotiatedBit(BLK_CONFIG_WCE);
    }

    // ------------------------------------------------------------------ status and reset

    private void writeStatus(int v) {
        if (v == 0) {
            reset();
            return;
        }
        int add = v & DRIVER_STATUS_BITS & ~status; // device-owned and undefined bits are not settable
        if ((add & FEATURES_OK) != 0) {
            if (legacy) {
                add &= ~FEATURES_OK; // no such step in the legacy interface
            } else {
                checker.onFeaturesOk(driverFeatures); // records the driver's rules; the decision is the device's
                if (negotiation.accepts(driverFeatures)) {
                    negotiated = driverFeatures;
                    featuresOkRefused = false;
                    applyCacheModeAtFeaturesOk();
                    if (blkConfig.setZonedVisible(negotiatedBit(BLK_ZONED))) {
                        configGeneration++; // blk.dev.7: zoned fields now read 0 (no interrupt before DRIVER_OK)
                    }
                } else {
                    add &= ~FEATURES_OK; // features.dev.3: refuse by leaving the bit clear
                    featuresOkRefused = true;
                }
            }
        }
        if (legacy && (add & DRIVER_OK) != 0) {
            checker.onLegacyDriverOk(driverFeatures);
            // §5.2.5.1: the cache mode may change only now, and only if the driver did not take CONFIG_WCE.
            if (!negotiatedBit(BLK_CONFIG_WCE)) {
                blkConfig.setWriteback(negotiatedBit(BLK_FLUSH) ? 1 : 0);
            }
        }
        status |= add;
    }

    ZoneRequestHandler zonedHandler() {
        return handler.zoned;
    }

    /** Host-side capacity change of a zoned device: the zone layout follows. */
    void zonesResized(long sectors) {
        if (handler.zoned != null) {
            handler.zoned.zones.resize(sectors);
        }
    }

    /** blk.dev.3: CONFIG_WCE without FLUSH starts in writethrough; without CONFIG_WCE the field mirrors the mode. */
    private void applyCacheModeAtFeaturesOk() {
        boolean wce = negotiatedBit(BLK_CONFIG_WCE);
        boolean flush = negotiatedBit(BLK_FLUSH);
        if (wce && !flush) {
            blkConfig.setWriteback(0);
        } else if (!wce) {
            blkConfig.setWriteback(flush ? 1 : 0);
        }
    }

    /** Writing 0 to Status (reset.dev.1, reset.dev.2, mmio.dev.5, mmio.dev.6, mmio.dev.9, mmio-legacy.dev.5). */
    void reset() {
        status = 0;
        driverFeatures = 0;
        negotiated = 0;
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        queueSel = 0;
        shmSel = 0;
        featuresOkRefused = false;
        broken = false;
        needsResetReason = null;
        for (VirtQueue q : queues) {
            q.reset();
            q.wasQueueReset = false;
        }
        blkConfig.setWriteback(config.writebackDefault() ? 1 : 0);
        if (blkConfig.setZonedVisible(true)) {
            configGeneration++;
        }
        interruptStatus = 0;
        updateLine();
        checker.onReset();
    }

    /**
     * Whether the write cache is off, i.e. every completed write must already be durable: blk.dev.31 (FLUSH
     * offered, neither FLUSH nor CONFIG_WCE negotiated; or CONFIG_WCE with writeback 0), and blk.dev.33 (no
     * FLUSH at all: we choose to write through).
     */
    boolean writethrough() {
        if (negotiatedBit(BLK_CONFIG_WCE)) {
            return blkConfig.writeback() == 0;
        }
        return !negotiatedBit(BLK_FLUSH);
    }

    // ------------------------------------------------------------------ interrupts

    void raise(int bits) {
        interruptStatus |= bits;
        updateLine();
    }

    private void updateLine() {
        boolean level = interruptStatus != 0;
        if (level != lineLevel) {
            lineLevel = level;
            irq.setLevel(level);
        }
    }

    boolean lineLevel() {
        return lineLevel;
    }

    /** Host-side configuration change (blk.dev.19, blk.dev.20, mmio.dev.7, notif-desc.dev.1). */
    void configChanged() {
        configGeneration++;
        if ((status & DRIVER_OK) != 0) {
            raise(INT_CONFIG_CHANGE);
        }
    }

    /**
     * status.dev.3, status.dev.4: stop serving until reset, and tell a running driver via a config-change
     * interrupt.
     */
    void needsReset(String reason) {
        if (broken) {
            return;
        }
        broken = true;
        needsResetReason = reason;
        status |= DEVICE_NEEDS_RESET;
        if ((status & DRIVER_OK) != 0) {
            raise(INT_CONFIG_CHANGE);
        }
    }

    // ------------------------------------------------------------------ virtqueue processing

    private void notifyQueue(int value) {
        // With NOTIFICATION_DATA the low 16 bits carry the queue index (§4.2.3.3).
        int index = negotiatedBit(NOTIFICATION_DATA) ? value & 0xffff : value;
        if (broken) {
            return;
        }
        // status.dev.1: nothing before DRIVER_OK (with FEATURES_OK accepted); legacy serves at once (init-legacy.dev.2).
        if (!legacy && (status & (DRIVER_OK | FEATURES_OK)) != (DRIVER_OK | FEATURES_OK)) {
            return;
        }
        if (index < 0 || index >= queues.length) {
            return;
        }
        VirtQueue q = queues[index];
        if (!q.enabled(legacy)) {
            return; // mmio.dev.8: never touch a queue that is not ready
        }
        processQueue(q);
    }

    private void processQueue(VirtQueue q) {
        if (!validator.checkQueue(q, memory)) {
            structural(validator);
            return;
        }
        GuestMemory m = memory;
        int availIdx = q.availIdx(m);
        if (!validator.checkAvailIdx(q, availIdx)) {
            structural(validator);
            return;
        }
        if (!q.ringFlagsChecked) {
            q.ringFlagsChecked = true;
            checker.onFirstRingUse(q);
        }
        boolean indirect = negotiatedBit(INDIRECT_DESC);
        int oldUsed = q.usedIdx;
        boolean failed = false;
        while (q.lastAvail != availIdx) {
            int head = q.availRing(m, q.lastAvail);
            if (!validator.walk(q, head, indirect, m, chain)) {
                structural(validator);
                failed = true;
                break;
            }
            long used = handler.handle(chain);
            if (used < 0) {
                needsReset(handler.structuralError);
                failed = true;
                break;
            }
            q.pushUsed(m, head, used);
            q.lastAvail = (q.lastAvail + 1) & 0xffff;
        }
        boolean eventIdx = negotiatedBit(EVENT_IDX);
        if (eventIdx && !failed) {
            // Ask to be notified when the driver fills the next slot (split.dev.21).
            q.writeAvailEvent(m, q.lastAvail);
        }
        if (q.usedIdx != oldUsed) {
            boolean notify;
            if (eventIdx) {
                // split.dev.12, split.dev.13, split.dev.14
                notify = SplitRing.needEvent(q.usedEvent(m), q.usedIdx, oldUsed);
            } else {
                // split.dev.9, split.dev.10, split.dev.11
                notify = (q.availFlags(m) & SplitRing.AVAIL_F_NO_INTERRUPT) == 0;
            }
            if (negotiatedBit(NOTIFY_ON_EMPTY) && q.lastAvail == availIdx) {
                notify = true; // reserved-legacy.dev.2: the queue ran empty
            }
            if (notify) {
                raise(INT_USED_BUFFER);
            }
        }
    }

    private void structural(DescriptorChainValidator v) {
        if (v.ruleId != null) {
            checker.record(v.ruleId, v.detail);
        }
        needsReset(v.detail);
    }
}
