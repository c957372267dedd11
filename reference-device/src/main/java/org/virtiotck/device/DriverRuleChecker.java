package org.virtiotck.device;

import static org.virtiotck.spec.DeviceStatus.*;
import static org.virtiotck.spec.FeatureBit.*;
import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.virtiotck.memory.GuestMemory;
import org.virtiotck.queue.QueueRegisters;
import org.virtiotck.queue.RingLayout;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.spec.SplitRing;

/**
 * Every driver-side rule the device checks, in one place (the zoned request rules sit with the zoned handler,
 * in {@link ZonedDriverRules}). The transport calls it <em>before</em> acting on a register access, so it sees
 * the old state through the read-only {@link TransportView}; the request handlers call {@link #record} for
 * request-level rules. Nothing here throws or changes device behaviour (the device decides FEATURES_OK itself,
 * {@link FeatureNegotiation}); it only records {@link DriverViolation}s with the catalog's {@code *.drv.*} ids.
 *
 * <p>Only rules the spec states are checked: reading config before FEATURES_OK is allowed (init.drv.2,
 * config.dev.1) except for {@code writeback} (blk.drv.4); probing the shared-memory registers is allowed.
 */
final class DriverRuleChecker {
    /** Bound on the recorded list, so a fuzzer cannot grow it without limit. */
    static final int MAX_RECORDED = 4096;

    private final TransportView t;
    private final boolean legacy;
    private final long offered;
    private final ZonedModel zonedModel;
    private final GuestMemory memory;
    private final ConfigAccessRules configRules;
    private List<DriverViolation> violations = new ArrayList<>();
    private long dropped;

    // Identity probe (mmio.drv.23, mmio.drv.24), tracked once per device lifetime.
    private boolean magicRead;
    private boolean versionRead;
    private boolean deviceIdRead;
    private boolean firstInitSeen;
    // Since the last reset.
    private boolean deviceSelWritten;
    private boolean driverSelWritten;
    /** FEATURES_OK was accepted and the driver has not read Status back yet (init.drv.5). */
    private boolean featuresOkRereadPending;
    // Legacy (§4.2.4): GuestPageSize is written once, normally before the first reset.
    private boolean guestPageSizeWritten;
    private int guestPageSize;
    /** Per queue: the driver wrote 0 to QueueReady of a live queue and has not read QueueReady back (mmio.drv.16). */
    private final boolean[] readyReadbackPending;
    /** Per queue: the driver wrote 1 to QueueReset and has not read QueueReset back yet (mmio.drv.20). */
    private final boolean[] resetReadbackPending;
    /** The last refused feature set, judged again on a repeated FEATURES_OK but not recorded twice. */
    private boolean rejectedValid;
    private long rejectedFeatures;

    /** A checker of the device {@code config} describes, seeing its live registers through {@code transport}. */
    DriverRuleChecker(TransportView transport, BlockDeviceConfig config, GuestMemory memory) {
        this.t = transport;
        this.legacy = config.legacy();
        this.offered = config.offeredFeatures();
        this.zonedModel = config.zonedModel();
        this.memory = memory;
        this.configRules = new ConfigAccessRules(this, transport, legacy, offered);
        this.readyReadbackPending = new boolean[config.numQueues()];
        this.resetReadbackPending = new boolean[config.numQueues()];
    }

    void record(String id, String detail) {
        if (violations.size() < MAX_RECORDED) {
            violations.add(new DriverViolation(id, detail));
        } else {
            dropped++;
        }
    }

    List<DriverViolation> snapshot() {
        return List.copyOf(violations);
    }

    /** The violations recorded since the last clear, handed over without a copy; the checker starts afresh. */
    List<DriverViolation> take() {
        List<DriverViolation> v = violations;
        // as large as the last record: a caller taking the record every run (the fuzzer) does not regrow it each time
        violations = new ArrayList<>(Math.max(10, v.size()));
        dropped = 0;
        return Collections.unmodifiableList(v);
    }

    boolean any() {
        return !violations.isEmpty() || dropped > 0;
    }

    long dropped() {
        return dropped;
    }

    void clear() {
        violations.clear();
        dropped = 0;
    }

    void onReset() {
        deviceSelWritten = false;
        driverSelWritten = false;
        featuresOkRereadPending = false;
        rejectedValid = false;
        Arrays.fill(readyReadbackPending, false);
        Arrays.fill(resetReadbackPending, false);
    }

    // ------------------------------------------------------------------ register layout

    /** Common checks of a control-register access; false when the access is malformed and nothing else applies. */
    private boolean controlAccess(long offset, int width, boolean write, long value) {
        if (width != 4 || (offset & 3) != 0) {
            record("mmio.drv.4", (write ? "write" : "read") + " of " + width + " byte(s) at "
                    + RuleWords.register(offset) + "; control registers take 32-bit aligned accesses only"
                    + (write ? " (write ignored)" : ""));
            return false;
        }
        RegisterDirection d = RegisterDirection.of((int) offset, legacy);
        if (d == RegisterDirection.NONE) {
            String why = legacy ? "not in the legacy (Version 1) register table"
                    : isLegacyOnly((int) offset) ? "a legacy-only register, absent from the Version 2 layout"
                    : "an undefined offset";
            record("mmio.drv.1", (write ? "write to " : "read of ") + RuleWords.register(offset) + ": " + why);
            return false;
        }
        if (write && d == RegisterDirection.R) {
            record("mmio.drv.2", "write of 0x" + Long.toHexString(value) + " to read-only "
                    + RuleWords.register(offset));
            return false;
        }
        if (!write && d == RegisterDirection.W) {
            record("mmio.drv.3", "read of write-only " + RuleWords.register(offset));
            return false;
        }
        return true;
    }

    private static boolean isLegacyOnly(int off) {
        return off == GUEST_PAGE_SIZE || off == QUEUE_ALIGN || off == QUEUE_PFN;
    }

    // ------------------------------------------------------------------ reads

    void onRead(long offset, int width) {
        if (offset < 0) {
            record("mmio.drv.1", "read at negative offset " + offset);
            return;
        }
        if (offset >= CONFIG) {
            configRules.access(offset - CONFIG, width, false, 0);
            return;
        }
        if (!controlAccess(offset, width, false, 0)) {
            return;
        }
        VirtQueue q = t.selectedQueue();
        switch ((int) offset) {
            case MAGIC_VALUE -> magicRead = true;
            case VERSION -> versionRead = true;
            case DEVICE_ID -> deviceIdRead = true;
            case DEVICE_FEATURES -> {
                if (!deviceSelWritten) {
                    record("mmio.drv.12", "DeviceFeatures read without writing DeviceFeaturesSel first (since reset)");
                }
            }
            case STATUS -> featuresOkRereadPending = false;
            case QUEUE_NUM_MAX -> {
                if (legacy && q != null && q.pfn != 0) {
                    record("mmio-legacy.drv.2", "QueueNumMax of queue " + q.index + " read while its QueuePFN is "
                            + "non-zero (queue in use)");
                }
            }
            case QUEUE_READY -> {
                if (q != null) {
                    readyReadbackPending[q.index] = false;
                }
            }
            case QUEUE_RESET -> {
                if (q != null) {
                    resetReadbackPending[q.index] = false;
                }
            }
            default -> {
            }
        }
    }

    // ------------------------------------------------------------------ writes

    void onWrite(long offset, int width, long value) {
        if (offset < 0) {
            record("mmio.drv.1", "write at negative offset " + offset);
            return;
        }
        if (offset >= CONFIG) {
            configRules.access(offset - CONFIG, width, true, value);
            return;
        }
        if (!controlAccess(offset, width, true, value)) {
            return;
        }
        int v = (int) value;
        int status = t.status();
        VirtQueue q = t.selectedQueue();
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL -> deviceSelWritten = true;
            case DRIVER_FEATURES_SEL -> driverSelWritten = true;
            case DRIVER_FEATURES -> onDriverFeatures(v, status);
            case GUEST_PAGE_SIZE -> {
                guestPageSizeWritten = true;
                guestPageSize = v;
                if (!MmioTransport.validPowerOfTwo(v)) {
                    record("mmio-legacy.drv.1", "GuestPageSize " + Integer.toUnsignedString(v)
                            + " is not a power of two (device falls back to 4096)");
                }
            }
            case QUEUE_NUM -> onQueueNum(q, v, status);
            case QUEUE_ALIGN -> {
                if (q != null && q.pfn != 0) {
                    record("mmio-legacy.drv.3", "QueueAlign written while queue " + q.index + " is in use (ignored)");
                } else if (!MmioTransport.validPowerOfTwo(v)) {
                    record("mmio-legacy.drv.3", "QueueAlign " + Integer.toUnsignedString(v)
                            + " is not a power of two (device falls back to 4096)");
                }
            }
            case QUEUE_PFN -> onQueuePfn(q, v, status);
            case QUEUE_READY -> onQueueReady(q, v, status);
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW,
                    QUEUE_DEVICE_HIGH -> onQueueAddress(q, offset, status);
            case QUEUE_NOTIFY -> {
                if (!legacy && (status & DRIVER_OK) == 0) {
                    record("init.drv.8", "QueueNotify(" + Integer.toUnsignedString(v) + ") before DRIVER_OK "
                            + "(status " + RuleWords.status(status) + "); ignored");
                }
            }
            case INTERRUPT_ACK -> {
                int undefined = v & ~(INT_USED_BUFFER | INT_CONFIG_CHANGE);
                if (undefined != 0) {
                    record("mmio.drv.19", "InterruptACK 0x" + Integer.toHexString(v) + " sets undefined bits 0x"
                            + Integer.toHexString(undefined));
                }
            }
            case STATUS -> onStatus(status, v);
            case QUEUE_RESET -> {
                if (q != null && v == 1 && t.negotiatedBit(RING_RESET)) {
                    readyReadbackPending[q.index] = false;
                    // The device resets the queue at once; the driver must read QueueReset back (mmio.drv.20).
                    resetReadbackPending[q.index] = (status & FEATURES_OK) != 0;
                }
            }
            default -> {
            }
        }
    }

    private void onDriverFeatures(int v, int status) {
        if (!driverSelWritten) {
            record("mmio.drv.13", "DriverFeatures written without writing DriverFeaturesSel first (since reset)");
        }
        if ((status & FAILED) != 0) {
            record("init.drv.7", "DriverFeatures written after the driver set FAILED");
        } else if (!legacy && (status & FEATURES_OK) != 0) {
            record("init.drv.4", "DriverFeatures word " + t.driverFeaturesSel() + " = 0x" + Integer.toHexString(v)
                    + " written after FEATURES_OK (ignored)");
        } else if ((status & (ACKNOWLEDGE | DRIVER)) != (ACKNOWLEDGE | DRIVER)) {
            record("init.drv.1", "DriverFeatures written before ACKNOWLEDGE and DRIVER were set (status "
                    + RuleWords.status(status) + ")");
        }
        int sel = t.driverFeaturesSel();
        boolean existing = sel == 0 || (sel == 1 && !legacy);
        if (!existing && v != 0) {
            record("features.drv.1", "DriverFeatures word " + Integer.toUnsignedString(sel) + " = 0x"
                    + Integer.toHexString(v) + ": no such feature bits are offered");
        }
    }

    private void onQueueNum(VirtQueue q, int v, int status) {
        if (q == null) {
            return;
        }
        afterFailed(status, "QueueNum");
        if (q.enabled(legacy)) {
            if (!legacy) {
                record("mmio.drv.15", "QueueNum of queue " + q.index + " written while QueueReady is set (ignored)");
            }
            return;
        }
        queueStopReadback(q, "QueueNum");
        if (Integer.compareUnsigned(v, q.maxSize) > 0) {
            record(legacy ? "mmio-legacy.drv.5" : "mmio.drv.14", "QueueNum " + Integer.toUnsignedString(v)
                    + " exceeds QueueNumMax " + q.maxSize + " of queue " + q.index);
        }
        if (v == 0 || Integer.bitCount(v) != 1 || Integer.compareUnsigned(v, SplitRing.MAX_QUEUE_SIZE) > 0) {
            record("split-desc.drv.1", "QueueNum " + Integer.toUnsignedString(v) + " of queue " + q.index
                    + " is not a power of two in 1..32768");
        }
    }

    private void onQueueAddress(VirtQueue q, long offset, int status) {
        if (q == null) {
            return;
        }
        if ((status & FAILED) != 0) {
            afterFailed(status, MmioRegister.name(offset));
        }
        if (q.enabled(false)) {
            record("mmio.drv.15", MmioRegister.name(offset) + " of queue " + q.index
                    + " written while QueueReady is set (ignored)");
            return;
        }
        if (readyReadbackPending[q.index] || resetReadbackPending[q.index]) {
            queueStopReadback(q, MmioRegister.name(offset)); // the register's name only when it is recorded
        }
    }

    private void onQueueReady(VirtQueue q, int v, int status) {
        if (q == null) {
            return;
        }
        if (v == 0) {
            if (q.readyValue != 0) {
                readyReadbackPending[q.index] = true; // mmio.drv.16: must read it back before reusing the queue
            }
            return;
        }
        if (resetReadbackPending[q.index]) {
            record("mmio.drv.20", "queue " + q.index + " re-enabled before QueueReset was read back as 0");
        }
        queueStopReadback(q, "QueueReady");
        if (q.readyValue != 0) {
            return; // already live: nothing new is being set up
        }
        afterFailed(status, "QueueReady");
        queueSetupOrder(q, status);
        // The ring layout the driver just made live (split.drv.1, split-desc.drv.1, reserved.drv.5).
        int n = q.size;
        if (n == 0 || Integer.bitCount(n) != 1 || n > SplitRing.MAX_QUEUE_SIZE || n > q.maxSize) {
            record(n > q.maxSize ? "mmio.drv.14" : "split-desc.drv.1", "queue " + q.index + " enabled with size "
                    + Integer.toUnsignedString(n) + " (QueueNumMax " + q.maxSize + ", must be a power of two)");
            return;
        }
        if (!q.layout().aligned()) {
            record("split.drv.1", "queue " + q.index + " rings misaligned: desc 0x" + Long.toHexString(q.descAddr)
                    + " (16), driver 0x" + Long.toHexString(q.driverAddr) + " (2), device 0x"
                    + Long.toHexString(q.deviceAddr) + " (4)");
        }
        ringsInRam(q);
    }

    private void onQueuePfn(VirtQueue q, int v, int status) {
        if (q == null || v == 0) {
            return;
        }
        afterFailed(status, "QueuePFN");
        queueSetupOrder(q, status);
        if (!guestPageSizeWritten) {
            record("mmio-legacy.drv.1", "QueuePFN of queue " + q.index + " written before GuestPageSize was set "
                    + "(device assumes 4096)");
        }
        if (!q.alignWritten) {
            record("mmio-legacy.drv.3", "QueuePFN of queue " + q.index + " written before QueueAlign "
                    + "(device assumes 4096)");
        }
        int n = q.size;
        if (n == 0 || Integer.bitCount(n) != 1 || n > SplitRing.MAX_QUEUE_SIZE) {
            record("split-desc.drv.1", "queue " + q.index + " activated with size " + Integer.toUnsignedString(n)
                    + ", not a power of two in 1..32768");
        } else {
            if (n > q.maxSize) {
                record("mmio-legacy.drv.5", "queue " + q.index + " activated with size " + n + " > QueueNumMax "
                        + q.maxSize);
            }
            legacyLayout(q, RingLayout.legacyFromPfn(n, v, QueueRegisters.legacyPageSize(guestPageSize),
                    q.legacyAlign()));
        }
    }

    /**
     * The rings QueuePFN is about to place (this runs before the write): QueueAlign 1 or 2 puts the used ring off
     * its 4-byte alignment (split.drv.1), and a page number or an alignment that puts a ring outside guest RAM
     * hands the device an address that is not the driver's memory (reserved.drv.5).
     */
    private void legacyLayout(VirtQueue q, RingLayout l) {
        if (!l.aligned()) {
            record("split.drv.1", "queue " + q.index + " placed with QueueAlign " + Integer.toUnsignedString(q.align)
                    + ": used ring at 0x" + Long.toHexString(l.used()) + " (4)");
        }
        if (!l.inside(memory)) {
            record("reserved.drv.5", "queue " + q.index + " placed with rings outside guest RAM (desc 0x"
                    + Long.toHexString(l.desc()) + ", used 0x" + Long.toHexString(l.used()) + ")");
        }
    }

    /** reserved.drv.5: without ACCESS_PLATFORM the driver hands over guest-physical (RAM) addresses only. */
    private void ringsInRam(VirtQueue q) {
        if (!q.layout().inside(memory)) {
            record("reserved.drv.5", q + " has rings outside guest RAM");
        }
    }

    private void queueSetupOrder(VirtQueue q, int status) {
        if (legacy) {
            return;
        }
        if (t.featuresOkRefused()) {
            record("init.drv.5", "queue " + q.index + " set up although the device refused FEATURES_OK");
        } else if ((status & FEATURES_OK) == 0) {
            record("init.drv.1", "queue " + q.index + " enabled before FEATURES_OK (status "
                    + RuleWords.status(status) + ")");
        } else if (featuresOkRereadPending) {
            record("init.drv.5", "queue " + q.index + " set up without re-reading Status after FEATURES_OK");
            featuresOkRereadPending = false;
        } else if ((status & DRIVER_OK) != 0 && !q.wasQueueReset) {
            record("init.drv.1", "queue " + q.index + " enabled after DRIVER_OK; device setup comes before it");
        }
    }

    private void queueStopReadback(VirtQueue q, String what) {
        if (readyReadbackPending[q.index]) {
            record("mmio.drv.16", what + " of queue " + q.index + " written after QueueReady=0 without reading "
                    + "QueueReady back");
            readyReadbackPending[q.index] = false;
        }
        if (resetReadbackPending[q.index]) {
            record("mmio.drv.20", what + " of queue " + q.index + " written before QueueReset was read back as 0");
            resetReadbackPending[q.index] = false;
        }
    }

    private void afterFailed(int status, String what) {
        if ((status & FAILED) != 0) {
            record("init.drv.7", what + " written after the driver set FAILED");
        }
    }

    // ------------------------------------------------------------------ status

    private void onStatus(int old, int v) {
        if (v == 0) {
            return; // reset is always allowed
        }
        int undefined = v & ~(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK | DEVICE_NEEDS_RESET | FAILED);
        if (undefined != 0) {
            record("status.drv.1", "Status write 0x" + Integer.toHexString(v) + " sets undefined/unsupported bits 0x"
                    + Integer.toHexString(undefined) + " (ignored)");
        }
        if ((v & DEVICE_NEEDS_RESET) != 0 && (old & DEVICE_NEEDS_RESET) == 0) {
            record("status.drv.1", "driver set DEVICE_NEEDS_RESET, a bit only the device sets (ignored)");
        }
        int driverBits = ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK | FAILED;
        int dropped = old & ~v & driverBits;
        if (dropped != 0) {
            record("status.drv.2", "Status write 0x" + Integer.toHexString(v) + " clears "
                    + RuleWords.status(dropped) + " without a reset (bits kept)");
        }
        int added = v & driverBits & ~old;
        int now = old | added;
        if (added == 0) {
            return;
        }
        if ((added & ACKNOWLEDGE) != 0 && !firstInitSeen) {
            firstInitSeen = true;
            if (!magicRead || !versionRead) {
                record("mmio.drv.23", "initialization started without reading MagicValue and Version");
            } else if (!deviceIdRead) {
                record("mmio.drv.24", "initialization started without reading DeviceID");
            }
        }
        if ((old & FAILED) != 0) {
            if ((added & (ACKNOWLEDGE | DRIVER)) != 0) {
                record("status.drv.3", "new initialization step " + RuleWords.status(added)
                        + " after FAILED without a reset");
            } else if ((added & (FEATURES_OK | DRIVER_OK)) != 0) {
                record("init.drv.7", "initialization continued (" + RuleWords.status(added)
                        + ") after FAILED");
            }
            return;
        }
        if ((added & DRIVER) != 0 && (now & ACKNOWLEDGE) == 0) {
            record("init.drv.1", "DRIVER set before ACKNOWLEDGE");
        }
        if ((added & FEATURES_OK) != 0) {
            if (legacy) {
                record("init-legacy.drv.1", "FEATURES_OK set through the legacy interface, which has no such step "
                        + "(ignored)");
            } else if ((now & (ACKNOWLEDGE | DRIVER)) != (ACKNOWLEDGE | DRIVER)) {
                record("init.drv.1", "FEATURES_OK set before ACKNOWLEDGE and DRIVER");
            } else {
                featuresOkRereadPending = true;
            }
        }
        if ((added & DRIVER_OK) != 0) {
            if ((now & (ACKNOWLEDGE | DRIVER)) != (ACKNOWLEDGE | DRIVER)) {
                record("init.drv.1", "DRIVER_OK set before ACKNOWLEDGE and DRIVER");
            } else if (!legacy) {
                if (t.featuresOkRefused() && (old & FEATURES_OK) == 0) {
                    record("init.drv.5", "DRIVER_OK set although the device refused FEATURES_OK");
                } else if ((added & FEATURES_OK) != 0) {
                    record("init.drv.5", "DRIVER_OK set in the same write as FEATURES_OK, without re-reading Status");
                } else if ((old & FEATURES_OK) == 0) {
                    record("init.drv.1", "DRIVER_OK set without FEATURES_OK");
                } else if (featuresOkRereadPending) {
                    record("init.drv.5", "DRIVER_OK set without re-reading Status after FEATURES_OK");
                    featuresOkRereadPending = false;
                }
            }
        }
    }

    /**
     * The driver's feature selection at FEATURES_OK (modern), which the device judges on its own
     * ({@link FeatureNegotiation}). Records the driver rules it breaks: only offered bits (features.drv.1,
     * mmio.drv.31, reserved.drv.10), VERSION_1 accepted (reserved.drv.1), no DISCARD from a host-managed zoned
     * device (blk.drv.6). A repeated FEATURES_OK with the same refused set is not recorded twice.
     */
    void onFeaturesOk(long features) {
        if (rejectedValid && features == rejectedFeatures) {
            return;
        }
        boolean ok = true;
        long extra = features & ~offered;
        if (extra != 0) {
            ok = false;
            if (has(extra, ADMIN_VQ)) {
                record("mmio.drv.31", "driver accepted VIRTIO_F_ADMIN_VQ, which MMIO does not support");
            }
            if (has(extra, SR_IOV)) {
                record("reserved.drv.10", "driver accepted VIRTIO_F_SR_IOV on an MMIO device");
            }
            record("features.drv.1", "driver accepted feature(s) not offered: " + FeatureBit.describe(extra)
                    + "; FEATURES_OK refused");
        }
        if (has(offered, VERSION_1) && !has(features, VERSION_1)) {
            ok = false;
            record("reserved.drv.1", "driver did not accept VIRTIO_F_VERSION_1; FEATURES_OK refused");
        }
        if (has(offered, BLK_ZONED) && zonedModel == ZonedModel.HOST_MANAGED && has(features, BLK_DISCARD)) {
            record("blk.drv.6", "driver accepted VIRTIO_BLK_F_DISCARD from a host-managed zoned device");
        }
        rejectedValid = !ok;
        rejectedFeatures = features;
    }

    /** Legacy has no FEATURES_OK: the selection is judged when DRIVER_OK is set. */
    void onLegacyDriverOk(long features) {
        long extra = features & ~offered;
        if (extra != 0) {
            record("features.drv.1", "legacy driver accepted feature(s) not offered: " + FeatureBit.describe(extra)
                    + " (masked off)");
        }
        if (has(offered, ANY_LAYOUT) && !has(features, ANY_LAYOUT)) {
            record("reserved-legacy.drv.1", "legacy driver did not accept VIRTIO_F_ANY_LAYOUT");
        }
    }

    // ------------------------------------------------------------------ rings

    /** One-shot checks of ring flags the first time the device processes a queue. */
    void onFirstRingUse(VirtQueue q) {
        int usedFlags = q.usedFlags(memory);
        if (usedFlags != 0) {
            record("split.drv.19", "used ring flags of queue " + q.index + " were 0x" + Integer.toHexString(usedFlags)
                    + ", not zeroed when the ring was allocated");
        }
        int availFlags = q.availFlags(memory);
        if (t.negotiatedBit(EVENT_IDX)) {
            if (availFlags != 0) {
                record("split.drv.14", "avail ring flags of queue " + q.index + " are 0x"
                        + Integer.toHexString(availFlags) + " although EVENT_IDX is negotiated");
            }
        } else if ((availFlags & ~SplitRing.AVAIL_F_NO_INTERRUPT) != 0) {
            record("split.drv.12", "avail ring flags of queue " + q.index + " are 0x"
                    + Integer.toHexString(availFlags) + "; only 0 or 1 is allowed without EVENT_IDX");
        }
    }
}
