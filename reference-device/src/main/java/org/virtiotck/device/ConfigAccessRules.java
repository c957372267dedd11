package org.virtiotck.device;

import static org.virtiotck.spec.DeviceStatus.DRIVER;
import static org.virtiotck.spec.DeviceStatus.FEATURES_OK;
import static org.virtiotck.spec.FeatureBit.BLK_CONFIG_WCE;
import static org.virtiotck.spec.FeatureBit.has;

import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;

/**
 * The driver rules of an access to the device-specific configuration space, for {@link DriverRuleChecker}: an
 * access inside {@code struct virtio_blk_config} (mmio.drv.1) with the field's own width and alignment (mmio.drv.5),
 * to a field whose feature is offered (config.drv.3), writes only to {@code writeback} (mmio.drv.2) and not during
 * feature negotiation (init.drv.3), and {@code writeback} not read before FEATURES_OK (blk.drv.4). Like the checker
 * it only records; the device answers the access the same either way.
 */
final class ConfigAccessRules {
    private final DriverRuleChecker checker;
    private final TransportView t;
    private final boolean legacy;
    private final long offered;

    ConfigAccessRules(DriverRuleChecker checker, TransportView transport, boolean legacy, long offered) {
        this.checker = checker;
        this.t = transport;
        this.legacy = legacy;
        this.offered = offered;
    }

    /** An access of {@code width} bytes at configuration offset {@code off}, before the device acts on it. */
    void access(long off, int width, boolean write, long value) {
        if (!BlkConfigSpace.defined(off) || !BlkConfigSpace.defined(off + width - 1)) {
            checker.record("mmio.drv.1", (write ? "write to " : "read of ") + width + " byte(s) at config offset 0x"
                    + Long.toHexString(off) + ", beyond struct virtio_blk_config (" + Blk.CONFIG_SIZE + " bytes)");
            return;
        }
        int o = (int) off;
        int need = BlkConfigSpace.accessWidth(o);
        String field = BlkConfigSpace.fieldName(o);
        boolean sameField = field.equals(BlkConfigSpace.fieldName(o + width - 1));
        if (width != need || (o % need) != 0 || !sameField) {
            checker.record("mmio.drv.5", width + "-byte " + (write ? "write" : "read") + " at config offset " + o
                    + " (" + field + "); this field needs " + need + "-byte aligned accesses");
        }
        int gate = BlkConfigSpace.gate(o);
        if (gate >= 0 && !has(offered, gate)) {
            checker.record("config.drv.3", (write ? "write to " : "read of ") + field + " although "
                    + FeatureBit.name(gate) + " is not offered");
        }
        boolean touchesWriteback = o <= Blk.CFG_WRITEBACK && Blk.CFG_WRITEBACK < o + width;
        int status = t.status();
        if (!write) {
            if (touchesWriteback && !legacy && (status & FEATURES_OK) == 0 && has(offered, BLK_CONFIG_WCE)) {
                checker.record("blk.drv.4", "writeback read before FEATURES_OK (its value depends on negotiation)");
            }
            return;
        }
        if (!legacy && (status & DRIVER) != 0 && (status & FEATURES_OK) == 0) {
            checker.record("init.drv.3", "config write at offset " + o + " (" + field
                    + ") during feature negotiation");
        }
        if (!touchesWriteback || width != 1) {
            checker.record("mmio.drv.2", "write of 0x" + Long.toHexString(value) + " to read-only config field "
                    + field + " (only writeback is driver-writable; ignored)");
        }
    }
}
