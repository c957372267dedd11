package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.*;

import org.virtiotck.tck.spi.Target;

/**
 * The driver-written registers a device reset may leave as they were, and putting them back to their power-on
 * value between runs, so that every run of a campaign starts from the device state a replay on a fresh target
 * starts from.
 *
 * <p><b>The rule.</b> A reset (Status written 0) must clear InterruptStatus and QueueReady (mmio.dev.5,
 * mmio.dev.6) and, on the legacy interface, QueuePFN (mmio-legacy.dev.5); the spec says nothing of QueueNum, the
 * six ring-address registers, DriverFeatures or the two feature selectors, so a device may keep them, and a driver
 * that enables a queue or sets FEATURES_OK without writing them again (a driver-rule violation) gets what an
 * earlier session wrote. QEMU 7.2 keeps all of them on purpose ({@code virtio_mmio_soft_reset} in
 * {@code hw/virtio/virtio-mmio.c} clears only the queues' enabled bits; only a machine reset zeroes them): a
 * program that set QueueReady without a layout then ran on the previous program's rings, with its features
 * (EVENT_IDX), and its used-ring writes were canary violations that no replay on a fresh QEMU could see.
 *
 * <p>So, after the reset that starts a run, every such register an earlier run wrote since the target's last hard
 * reset is written back to 0 (what a freshly started device holds, and what the reference device's reset
 * leaves), and the device is reset once more: a device that clears them on reset has nothing left of those
 * writes. Queue registers are followed for queues 0 to 63 (QEMU ignores a QueueSel of a queue it does not have,
 * so the previous selection is marked too). On the legacy interface QueueNum, QueueAlign and DriverFeatures reach
 * the device's queue and feature state directly, which a reset reinitializes; only the selectors are put back
 * there. The in-process reference device clears all of them on reset: the executor of such a target leaves this
 * off, so it costs nothing there.
 */
final class ResetLeftovers {
    private static final int QUEUES = 64;
    private static final int[] QUEUE_REGISTERS = {QUEUE_NUM, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW,
        QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH};

    private final boolean on;
    private final boolean legacy;
    /** The queue the last QueueSel selected, and the one before a selection out of range (-1: none). */
    private int sel;
    private int lastInRange;
    /** Queues with a layout register written since the last write-back. */
    private long queues;
    private boolean features;
    private boolean selectors;

    ResetLeftovers(boolean on, boolean legacy) {
        this.on = on;
        this.legacy = legacy;
    }

    /** Follows an aligned 32-bit register write of the program. */
    void wrote(int off, int v) {
        if (!on) {
            return;
        }
        switch (off) {
            case QUEUE_SEL -> {
                sel = v;
                if (v >= 0 && v < QUEUES) {
                    lastInRange = v;
                }
            }
            case QUEUE_NUM, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW,
                 QUEUE_DEVICE_HIGH -> {
                if (!legacy) {
                    queues |= 1L << lastInRange | (sel >= 0 && sel < QUEUES ? 1L << sel : 0);
                }
            }
            case DRIVER_FEATURES -> features |= !legacy;
            case DRIVER_FEATURES_SEL, DEVICE_FEATURES_SEL -> selectors |= v != 0;
            case STATUS -> {
                if (v == 0) {
                    sel = 0; // a reset selects queue 0 (QEMU's virtio_reset; the reference's reset)
                    lastInRange = 0;
                }
            }
            default -> {
            }
        }
    }

    /** A hard reset gives a fresh device: nothing is left over. */
    void forget() {
        queues = 0;
        features = false;
        selectors = false;
        sel = 0;
        lastInRange = 0;
    }

    /**
     * Right after a device reset: writes the registers earlier runs left back to 0 and resets again. Returns the
     * target calls made (0 when nothing was left).
     */
    int writeBack(Target target) {
        sel = 0; // the reset just made selected queue 0
        lastInRange = 0;
        if (queues == 0 && !features && !selectors) {
            return 0;
        }
        int calls = 4;
        for (long left = queues; left != 0; left &= left - 1) {
            target.write(QUEUE_SEL, 4, Long.numberOfTrailingZeros(left));
            for (int reg : QUEUE_REGISTERS) {
                target.write(reg, 4, 0);
            }
            calls += 1 + QUEUE_REGISTERS.length;
        }
        if (features) {
            for (int word = 1; word >= 0; word--) {
                target.write(DRIVER_FEATURES_SEL, 4, word);
                target.write(DRIVER_FEATURES, 4, 0);
            }
            calls += 4;
        }
        target.write(DRIVER_FEATURES_SEL, 4, 0);
        target.write(DEVICE_FEATURES_SEL, 4, 0);
        target.write(QUEUE_SEL, 4, 0);
        target.write(STATUS, 4, 0);
        forget();
        return calls;
    }
}
