package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.Arrays;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.DeviceStatus;
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
 * <p>So, after the reset that starts a run whose program can see such a register before writing it (it enables a
 * queue before writing all of its layout registers, sets FEATURES_OK before writing both DriverFeatures words,
 * or reads DeviceFeatures or writes DriverFeatures through a selector it did not write: {@link #sees}), every
 * such register an earlier run wrote since the target's last hard reset is written back to 0 (what a freshly
 * started device holds, and what the reference device's reset leaves), and the device is reset once more: a
 * device that clears them on reset has nothing left of those writes. Other programs overwrite what they use
 * before using it, and cost nothing (a program that sets a queue up in order is one of them).
 *
 * <p>Queue registers are followed for queues 0 to 63 (QEMU ignores a QueueSel of a queue it does not have, so the
 * previous selection is marked too). On the legacy interface QueueNum, QueueAlign and DriverFeatures reach the
 * device's queue and feature state directly, which a reset reinitializes; only the selectors are put back there.
 * The in-process reference device clears all of them on reset: the executor of such a target leaves this off, so
 * it costs nothing there.
 */
final class ResetLeftovers {
    private static final int QUEUES = 64;
    private static final int WINDOW = 0x200;
    private static final int[] QUEUE_REGISTERS = {QUEUE_NUM, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW,
        QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH};

    private final boolean on;
    private final boolean legacy;
    /** The value QueueSel was last written, and the last one in range (a device may ignore one out of range). */
    private int sel;
    private int lastInRange;
    /** Queues with a layout register written since the last write-back. */
    private long queues;
    private boolean features;
    private boolean selectors;
    // What the program being scanned (sees) wrote so far: layout registers per queue (a bit per QUEUE_REGISTERS
    // entry), the DriverFeatures words, the selectors (-1: not written), the queue selected.
    private final int[] laidOut = new int[QUEUES];
    private boolean word0;
    private boolean word1;
    private int driverSel;
    private boolean deviceSel;
    private int scanSel;

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

    /**
     * Follows a register write of another width or alignment: a device may split it into aligned words, or act on
     * it as a 32-bit write (QEMU 7.2 takes an 8-byte write at QueueReady as QueueReady), so it may have written any
     * register it covers: every kind is marked.
     */
    void wroteOddly(int off) {
        if (!on || off >= CONFIG) {
            return;
        }
        queues |= 1L << lastInRange | (sel >= 0 && sel < QUEUES ? 1L << sel : 0);
        features |= !legacy;
        selectors = true;
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
     * Right after a device reset: writes the registers earlier runs left back to 0 and resets again, when
     * {@code program} can see one of them. Returns the target calls made (0 when nothing was written).
     */
    int writeBack(Target target, Program program) {
        sel = 0; // the reset just made selected queue 0
        lastInRange = 0;
        if (queues == 0 && !features && !selectors || !sees(program)) {
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

    /**
     * Whether {@code program} can see a register a reset may keep before writing it (the register writes and reads
     * the executor makes for its ops, in order; a selection it cannot follow counts as seeing).
     */
    boolean sees(Program program) {
        Arrays.fill(laidOut, 0);
        word0 = word1 = deviceSel = false;
        driverSel = -1;
        scanSel = 0;
        for (Op op : program.ops()) {
            boolean sees = switch (op) {
                case Op.Read r -> (r.offset() & (WINDOW - 1)) == DEVICE_FEATURES && !deviceSel;
                case Op.Write w -> w.width() == 4 && (w.offset() & 3) == 0
                        ? writes(w.offset() & (WINDOW - 1), (int) w.value())
                        : (w.offset() & (WINDOW - 1)) < CONFIG; // which registers a device takes it for: unknown
                case Op.SetStatus s -> writes(STATUS, s.value());
                case Op.Features f -> writes(DRIVER_FEATURES_SEL, f.select()) || writes(DRIVER_FEATURES, f.value());
                case Op.QueueSetup q -> writes(QUEUE_SEL, q.queue()) || !q.legacy() && laysOut();
                case Op.QueueReady q -> writes(QUEUE_SEL, q.queue()) || writes(QUEUE_READY, q.value());
                case Op.QueueReset q -> writes(QUEUE_SEL, q.queue());
                default -> false;
            };
            if (sees) {
                return true;
            }
        }
        return false;
    }

    /** A modern QueueSetup: QueueNum and the six addresses of the selected queue. */
    private boolean laysOut() {
        laidOut[scanSel] = (1 << QUEUE_REGISTERS.length) - 1;
        return false;
    }

    /** Follows one register write of the scanned program; whether it makes the device use a left-over value. */
    private boolean writes(int off, int v) {
        switch (off) {
            case QUEUE_SEL -> {
                if (v < 0 || v >= QUEUES) {
                    return true; // a device may ignore it (QEMU does): which queue is selected is not known
                }
                scanSel = v;
            }
            case QUEUE_READY -> {
                return v != 0 && !legacy && laidOut[scanSel] != (1 << QUEUE_REGISTERS.length) - 1;
            }
            case DRIVER_FEATURES_SEL -> {
                if (v != 0 && v != 1) {
                    return true;
                }
                driverSel = v;
            }
            case DEVICE_FEATURES_SEL -> deviceSel = true;
            case DRIVER_FEATURES -> {
                if (driverSel < 0) {
                    return true;
                }
                word0 |= driverSel == 0;
                word1 |= driverSel == 1;
            }
            case STATUS -> {
                if (v == 0) {
                    scanSel = 0;
                }
                return (v & DeviceStatus.FEATURES_OK) != 0 && !legacy && !(word0 && word1);
            }
            default -> {
                for (int r = 0; r < QUEUE_REGISTERS.length; r++) {
                    if (QUEUE_REGISTERS[r] == off) {
                        laidOut[scanSel] |= 1 << r;
                    }
                }
            }
        }
        return false;
    }
}
