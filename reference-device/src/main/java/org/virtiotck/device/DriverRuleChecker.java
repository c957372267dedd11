package org.virtiotck.device;

import static org.virtiotck.spec.DeviceStatus.*;
import static org.virtiotck.spec.FeatureBit.*;
import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.List;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.spec.SplitRing;

/**
 * Every driver-side rule the device checks, in one place. The transport calls it <em>before</em> acting on a
 * register access (so it sees the old state), and the request handler calls {@link #record} for request-level
 * rules. Nothing here throws or changes device behaviour; it only records {@link DriverViolation}s with the
 * catalog's {@code *.drv.*} ids.
 *
 * <p>Only rules the spec states are checked: reading config before FEATURES_OK is allowed (init.drv.2,
 * config.dev.1) except for {@code writeback} (blk.drv.4); probing the shared-memory registers is allowed.
 */
final class DriverRuleChecker {
    /** Bound on the recorded list, so a fuzzer cannot grow it without limit. */
    static final int MAX_RECORDED = 4096;

    private final MmioTransport t;
    private final List<DriverViolation> violations = new ArrayList<>();
    private long dropped;

    // Identity probe (mmio.drv.23/24), tracked once per device lifetime.
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

    DriverRuleChecker(MmioTransport transport) {
        this.t = transport;
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
    }

    private String reg(long offset) {
        return MmioRegister.name(offset) + " (0x" + Long.toHexString(offset) + ")";
    }

    // ------------------------------------------------------------------ register layout

    private enum Dir { R, W, RW, NONE }

    /** Direction of a control register in the active layout; NONE = not in that layout's table (mmio.drv.1). */
    private Dir direction(int off) {
        switch (off) {
            case MAGIC_VALUE, VERSION, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES, QUEUE_NUM_MAX, INTERRUPT_STATUS:
                return Dir.R;
            case DEVICE_FEATURES_SEL, DRIVER_FEATURES, DRIVER_FEATURES_SEL, QUEUE_SEL, QUEUE_NUM, QUEUE_NOTIFY,
                    INTERRUPT_ACK:
                return Dir.W;
            case STATUS:
                return Dir.RW;
            case GUEST_PAGE_SIZE, QUEUE_ALIGN:
                return t.legacy ? Dir.W : Dir.NONE;
            case QUEUE_PFN:
                return t.legacy ? Dir.RW : Dir.NONE;
            case QUEUE_READY, QUEUE_RESET:
                return t.legacy ? Dir.NONE : Dir.RW;
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW,
                    QUEUE_DEVICE_HIGH, SHM_SEL:
                return t.legacy ? Dir.NONE : Dir.W;
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH, CONFIG_GENERATION:
                return t.legacy ? Dir.NONE : Dir.R;
            default:
                return Dir.NONE;
        }
    }

    /** Common checks of a control-register access; false when the access is malformed and nothing else applies. */
    private boolean controlAccess(long offset, int width, boolean write, long value) {
        if (width != 4 || (offset & 3) != 0) {
            record("mmio.drv.4", (write ? "write" : "read") + " of " + width + " byte(s) at " + reg(offset)
                    + "; control registers take 32-bit aligned accesses only"
                    + (write ? " (write ignored)" : ""));
            return false;
        }
        Dir d = direction((int) offset);
        if (d == Dir.NONE) {
            String why = t.legacy ? "not in the legacy (Version 1) register table"
                    : isLegacyOnly((int) offset) ? "a legacy-only register, absent from the Version 2 layout"
                    : "an undefined offset";
            record("mmio.drv.1", (write ? "write to " : "read of ") + reg(offset) + ": " + why);
            return false;
        }
        if (write && d == Dir.R) {
            record("mmio.drv.2", "write of 0x" + Long.toHexString(value) + " to read-only " + reg(offset));
            return false;
        }
        if (!write && d == Dir.W) {
            record("mmio.drv.3", "read of write-only " + reg(offset));
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
            configAccess(offset - CONFIG, width, false, 0);
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
                if (t.legacy && q != null && q.pfn != 0) {
                    record("mmio-legacy.drv.2", "QueueNumMax of queue " + q.index + " read while its QueuePFN is "
                            + "non-zero (queue in use)");
                }
            }
            case QUEUE_READY -> {
                if (q != null) {
                    q.readyReadbackPending = false;
                }
            }
            case QUEUE_RESET -> {
                if (q != null) {
                    q.resetReadbackPending = false;
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
            configAccess(offset - CONFIG, width, true, value);
            return;
        }
        if (!controlAccess(offset, width, true, value)) {
            return;
        }
        int v = (int) value;
        int status = t.status;
        VirtQueue q = t.selectedQueue();
        switch ((int) offset) {
            case DEVICE_FEATURES_SEL -> deviceSelWritten = true;
            case DRIVER_FEATURES_SEL -> driverSelWritten = true;
            case DRIVER_FEATURES -> onDriverFeatures(v, status);
            case GUEST_PAGE_SIZE -> {
                guestPageSizeWritten = true;
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
                if (!t.legacy && (status & DRIVER_OK) == 0) {
                    record("init.drv.8", "QueueNotify(" + Integer.toUnsignedString(v) + ") before DRIVER_OK "
                            + "(status " + DeviceStatus.describe(status) + "); ignored");
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
                    q.readyReadbackPending = false;
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
        } else if (!t.legacy && (status & FEATURES_OK) != 0) {
            record("init.drv.4", "DriverFeatures word " + t.driverFeaturesSel + " = 0x" + Integer.toHexString(v)
                    + " written after FEATURES_OK (ignored)");
        } else if ((status & (ACKNOWLEDGE | DRIVER)) != (ACKNOWLEDGE | DRIVER)) {
            record("init.drv.1", "DriverFeatures written before ACKNOWLEDGE and DRIVER were set (status "
                    + DeviceStatus.describe(status) + ")");
        }
        int sel = t.driverFeaturesSel;
        boolean existing = sel == 0 || (sel == 1 && !t.legacy);
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
        if (q.enabled(t.legacy)) {
            if (!t.legacy) {
                record("mmio.drv.15", "QueueNum of queue " + q.index + " written while QueueReady is set (ignored)");
            }
            return;
        }
        queueStopReadback(q, "QueueNum");
        if (Integer.compareUnsigned(v, q.maxSize) > 0) {
            record(t.legacy ? "mmio-legacy.drv.5" : "mmio.drv.14", "QueueNum " + Integer.toUnsignedString(v)
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
        afterFailed(status, MmioRegister.name(offset));
        if (q.enabled(false)) {
            record("mmio.drv.15", MmioRegister.name(offset) + " of queue " + q.index
                    + " written while QueueReady is set (ignored)");
            return;
        }
        queueStopReadback(q, MmioRegister.name(offset));
    }

    private void onQueueReady(VirtQueue q, int v, int status) {
        if (q == null) {
            return;
        }
        if (v == 0) {
            if (q.readyValue != 0) {
                q.readyReadbackPending = true; // mmio.drv.16: must read it back before reusing the queue
            }
            return;
        }
        if (q.resetReadbackPending) {
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
        if ((q.descAddr & 15) != 0 || (q.driverAddr & 1) != 0 || (q.deviceAddr & 3) != 0) {
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
        } else if (n > q.maxSize) {
            record("mmio-legacy.drv.5", "queue " + q.index + " activated with size " + n + " > QueueNumMax "
                    + q.maxSize);
        }
    }

    /** reserved.drv.5: without ACCESS_PLATFORM the driver hands over guest-physical (RAM) addresses only. */
    private void ringsInRam(VirtQueue q) {
        int n = q.size;
        if (!t.memory.contains(q.descAddr, SplitRing.descTableBytes(n))
                || !t.memory.contains(q.driverAddr, SplitRing.availRingBytes(n))
                || !t.memory.contains(q.deviceAddr, SplitRing.usedRingBytes(n))) {
            record("reserved.drv.5", q + " has rings outside guest RAM");
        }
    }

    private void queueSetupOrder(VirtQueue q, int status) {
        if (t.legacy) {
            return;
        }
        if (t.featuresOkRefused) {
            record("init.drv.5", "queue " + q.index + " set up although the device refused FEATURES_OK");
        } else if ((status & FEATURES_OK) == 0) {
            record("init.drv.1", "queue " + q.index + " enabled before FEATURES_OK (status "
                    + DeviceStatus.describe(status) + ")");
        } else if (featuresOkRereadPending) {
            record("init.drv.5", "queue " + q.index + " set up without re-reading Status after FEATURES_OK");
            featuresOkRereadPending = false;
        } else if ((status & DRIVER_OK) != 0 && !q.wasQueueReset) {
            record("init.drv.1", "queue " + q.index + " enabled after DRIVER_OK; device setup comes before it");
        }
    }

    private void queueStopReadback(VirtQueue q, String what) {
        if (q.readyReadbackPending) {
            record("mmio.drv.16", what + " of queue " + q.index + " written after QueueReady=0 without reading "
                    + "QueueReady back");
            q.readyReadbackPending = false;
        }
        if (q.resetReadbackPending) {
            record("mmio.drv.20", what + " of queue " + q.index + " written before QueueReset was read back as 0");
            q.resetReadbackPending = false;
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
                    + DeviceStatus.describe(dropped) + " without a reset (bits kept)");
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
                record("status.drv.3", "new initialization step " + DeviceStatus.describe(added)
                        + " after FAILED without a reset");
            } else if ((added & (FEATURES_OK | DRIVER_OK)) != 0) {
                record("init.drv.7", "initialization continued (" + DeviceStatus.describe(added)
                        + ") after FAILED");
            }
            return;
        }
        if ((added & DRIVER) != 0 && (now & ACKNOWLEDGE) == 0) {
            record("init.drv.1", "DRIVER set before ACKNOWLEDGE");
        }
        if ((added & FEATURES_OK) != 0) {
            if (t.legacy) {
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
            } else if (!t.legacy) {
                if (t.featuresOkRefused && (old & FEATURES_OK) == 0) {
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
     * The driver's feature selection at FEATURES_OK (modern). Returns whether the device accepts it:
     * only offered bits (features.drv.1, mmio.drv.31, reserved.drv.10) and VERSION_1 accepted
     * (reserved.drv.1; reserved.dev.2 lets the device refuse). Deterministic, so a set accepted once is
     * accepted again after reset (features.dev.5).
     */
    boolean acceptFeatures(long features) {
        // A repeated FEATURES_OK with the same refused set is judged again but not recorded twice.
        boolean quiet = rejectedValid && features == rejectedFeatures;
        boolean ok = evaluateFeatures(features, quiet);
        rejectedValid = !ok;
        rejectedFeatures = features;
        return ok;
    }

    private boolean rejectedValid;
    private long rejectedFeatures;

    private boolean evaluateFeatures(long features, boolean quiet) {
        if (quiet) {
            return false;
        }
        boolean ok = true;
        long extra = features & ~t.offered;
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
        if (has(t.offered, VERSION_1) && !has(features, VERSION_1)) {
            ok = false;
            record("reserved.drv.1", "driver did not accept VIRTIO_F_VERSION_1; FEATURES_OK refused");
        }
        if (has(t.offered, BLK_ZONED) && t.config.zonedModel() == ZonedModel.HOST_MANAGED
                && has(features, BLK_DISCARD)) {
            record("blk.drv.6", "driver accepted VIRTIO_BLK_F_DISCARD from a host-managed zoned device");
        }
        return ok;
    }

    /** Legacy has no FEATURES_OK: the selection is judged when DRIVER_OK is set. */
    void onLegacyDriverOk(long features) {
        long extra = features & ~t.offered;
        if (extra != 0) {
            record("features.drv.1", "legacy driver accepted feature(s) not offered: " + FeatureBit.describe(extra)
                    + " (masked off)");
        }
        if (has(t.offered, ANY_LAYOUT) && !has(features, ANY_LAYOUT)) {
            record("reserved-legacy.drv.1", "legacy driver did not accept VIRTIO_F_ANY_LAYOUT");
        }
    }

    // ------------------------------------------------------------------ zoned requests (ZONED negotiated)

    /**
     * The driver rules of §5.2.6.1 for zoned requests: zone addressing (blk.drv.28/30/31/32), ZONE_APPEND size
     * (blk.drv.33/34) and, for ZONE_APPEND and OUT to a sequential zone, write_granularity alignment
     * (blk.drv.36/37) and the writable capacity from the write pointer (blk.drv.38). {@code dataOut} is the
     * request's data length in bytes.
     */
    void zoneRequest(int type, long sector, long dataOut, ZonedState zones, BlockDeviceConfig cfg) {
        String name = Blk.typeName(type);
        String at = " sector " + Long.toUnsignedString(sector);
        boolean inside = Long.compareUnsigned(sector, zones.capacity()) < 0;
        switch (type) {
            case Blk.T_ZONE_REPORT -> {
                if (!inside) {
                    record("blk.drv.28", "ZONE_REPORT" + at + " is not inside any zone (capacity "
                            + zones.capacity() + ")");
                }
                return;
            }
            case Blk.T_ZONE_OPEN, Blk.T_ZONE_CLOSE, Blk.T_ZONE_FINISH, Blk.T_ZONE_RESET -> {
                if (!zones.isZoneStart(sector)) {
                    record("blk.drv.30", name + at + " is not the first sector of a zone");
                }
                return;
            }
            case Blk.T_ZONE_RESET_ALL -> {
                if (sector != 0) {
                    record("blk.drv.31", "ZONE_RESET_ALL" + at + " (must be 0); served");
                }
                return;
            }
            case Blk.T_ZONE_APPEND -> {
                if (!zones.isZoneStart(sector)) {
                    record("blk.drv.32", "ZONE_APPEND" + at + " is not the start of a zone");
                }
                if (dataOut % cfg.writeGranularity() != 0) {
                    record("blk.drv.33", "ZONE_APPEND of " + dataOut + " bytes is not a multiple of "
                            + "write_granularity " + cfg.writeGranularity());
                }
                if (dataOut > (long) cfg.maxAppendSectors() * Blk.SECTOR_SIZE) {
                    record("blk.drv.34", "ZONE_APPEND of " + dataOut + " bytes exceeds max_append_sectors "
                            + cfg.maxAppendSectors());
                }
                if (zones.isZoneStart(sector) && zones.sequential(zones.zoneOf(sector))) {
                    writableCapacity(name, zones, zones.zoneOf(sector), dataOut);
                }
                return;
            }
            case Blk.T_OUT -> {
                if (!inside || dataOut == 0 || !zones.sequential(zones.zoneOf(sector))) {
                    return;
                }
                int z = zones.zoneOf(sector);
                if (dataOut % cfg.writeGranularity() != 0) {
                    record("blk.drv.36", "OUT of " + dataOut + " bytes to sequential zone " + z
                            + " is not a multiple of write_granularity " + cfg.writeGranularity());
                }
                if ((sector * Blk.SECTOR_SIZE) % cfg.writeGranularity() != 0) {
                    record("blk.drv.37", "OUT" + at + " to sequential zone " + z + " is not aligned to "
                            + "write_granularity " + cfg.writeGranularity());
                }
                long end = Math.max(zones.wp(z), sector) + dataOut / Blk.SECTOR_SIZE;
                if (!writableState(zones.state(z)) || end > zones.start(z) + zones.size(z)) {
                    record("blk.drv.38", "OUT of " + dataOut / Blk.SECTOR_SIZE + " sectors" + at
                            + " runs past the writable capacity of zone " + z + " ("
                            + Blk.zoneStateName(zones.state(z)) + ", wp " + zones.wp(z) + ")");
                }
                return;
            }
            default -> {
            }
        }
    }

    private void writableCapacity(String name, ZonedState zones, int z, long bytes) {
        long sectors = bytes / Blk.SECTOR_SIZE;
        if (sectors > 0 && (!writableState(zones.state(z)) || zones.wp(z) + sectors > zones.start(z) + zones.size(z))) {
            record("blk.drv.38", name + " of " + sectors + " sectors runs past the writable capacity of zone " + z
                    + " (" + Blk.zoneStateName(zones.state(z)) + ", wp " + zones.wp(z) + ")");
        }
    }

    private static boolean writableState(int s) {
        return s == Blk.ZS_EMPTY || s == Blk.ZS_IOPEN || s == Blk.ZS_EOPEN || s == Blk.ZS_CLOSED;
    }

    /** blk.drv.39: with ZONED (and SECURE_ERASE) negotiated, erase sizes are whole zones (the last may be short). */
    void zonedSecureErase(long index, long sector, long sectors, BlockDeviceConfig cfg) {
        long zs = cfg.zoneSectors();
        boolean endsAtCapacity = sector + sectors == t.blkConfig.capacity();
        if (sectors % zs != 0 && !endsAtCapacity) {
            record("blk.drv.39", "SECURE_ERASE segment " + index + " covers " + sectors + " sectors, not a multiple "
                    + "of zone_sectors " + zs);
        }
    }

    // ------------------------------------------------------------------ configuration space

    private void configAccess(long off, int width, boolean write, long value) {
        if (!BlkConfigSpace.defined(off) || !BlkConfigSpace.defined(off + width - 1)) {
            record("mmio.drv.1", (write ? "write to " : "read of ") + width + " byte(s) at config offset 0x"
                    + Long.toHexString(off) + ", beyond struct virtio_blk_config (" + Blk.CONFIG_SIZE + " bytes)");
            return;
        }
        int o = (int) off;
        int need = BlkConfigSpace.accessWidth(o);
        String field = BlkConfigSpace.fieldName(o);
        boolean sameField = field.equals(BlkConfigSpace.fieldName(o + width - 1));
        if (width != need || (o % need) != 0 || !sameField) {
            record("mmio.drv.5", width + "-byte " + (write ? "write" : "read") + " at config offset " + o + " ("
                    + field + "); this field needs " + need + "-byte aligned accesses");
        }
        int gate = BlkConfigSpace.gate(o);
        if (gate >= 0 && !has(t.offered, gate)) {
            record("config.drv.3", (write ? "write to " : "read of ") + field + " although "
                    + FeatureBit.name(gate) + " is not offered");
        }
        boolean touchesWriteback = o <= Blk.CFG_WRITEBACK && Blk.CFG_WRITEBACK < o + width;
        int status = t.status;
        if (!write) {
            if (touchesWriteback && !t.legacy && (status & FEATURES_OK) == 0 && has(t.offered, BLK_CONFIG_WCE)) {
                record("blk.drv.4", "writeback read before FEATURES_OK (its value depends on negotiation)");
            }
            return;
        }
        if (!t.legacy && (status & DRIVER) != 0 && (status & FEATURES_OK) == 0) {
            record("init.drv.3", "config write at offset " + o + " (" + field + ") during feature negotiation");
        }
        if (!touchesWriteback || width != 1) {
            record("mmio.drv.2", "write of 0x" + Long.toHexString(value) + " to read-only config field " + field
                    + " (only writeback is driver-writable; ignored)");
        }
    }

    // ------------------------------------------------------------------ rings

    /** One-shot checks of ring flags the first time the device processes a queue. */
    void onFirstRingUse(VirtQueue q) {
        int usedFlags = q.usedFlags(t.memory);
        if (usedFlags != 0) {
            record("split.drv.19", "used ring flags of queue " + q.index + " were 0x" + Integer.toHexString(usedFlags)
                    + ", not zeroed when the ring was allocated");
        }
        int availFlags = q.availFlags(t.memory);
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
