package org.virtiotck.fuzz;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.Arrays;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * A correct modern device whose reset keeps what the spec does not tell it to clear, the way QEMU 7.2's
 * virtio-mmio transport does: QueueNum, the ring addresses of every queue, both DriverFeatures words and the two
 * feature selectors survive a Status write of 0 (only QueueReady and InterruptStatus are cleared, mmio.dev.5,
 * mmio.dev.6). It is the reference device with the last value the driver wrote to each of those registers written
 * to it again right after its reset; a hard reset forgets them, as a freshly started QEMU has them all 0.
 */
final class KeepingTarget extends ForwardingTarget {
    private static final int QUEUES = 8;
    private static final int[] QUEUE_REGISTERS = {QUEUE_NUM, QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW,
        QUEUE_DRIVER_HIGH, QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH};

    private final long[][] queue = new long[QUEUES][QUEUE_REGISTERS.length];
    private final long[] driverFeatures = new long[2];
    private long driverFeaturesSel;
    private long deviceFeaturesSel;
    private int queueSel;

    KeepingTarget(Target inner) {
        super(inner);
    }

    /** The in-process reference device ({@code uri}) with QEMU's reset. */
    static KeepingTarget reference(String uri) {
        return new KeepingTarget(Targets.open(uri));
    }

    @Override
    public void write(long offset, int width, long value) {
        inner.write(offset, width, value);
        if (width != 4) {
            return;
        }
        int off = (int) offset;
        switch (off) {
            case QUEUE_SEL -> queueSel = value >= 0 && value < QUEUES ? (int) value : queueSel;
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = value == 0 ? 0 : 1;
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = value;
            case DRIVER_FEATURES -> driverFeatures[(int) driverFeaturesSel] = value;
            case STATUS -> {
                if (value == 0) {
                    restore();
                }
            }
            default -> {
                for (int r = 0; r < QUEUE_REGISTERS.length; r++) {
                    if (QUEUE_REGISTERS[r] == off) {
                        queue[queueSel][r] = value;
                    }
                }
            }
        }
    }

    /** Puts what the reset cleared in the reference device back (its QueueSel is 0 after it, as in QEMU). */
    private void restore() {
        for (int q = 0; q < QUEUES; q++) {
            inner.write(QUEUE_SEL, 4, q);
            for (int r = 0; r < QUEUE_REGISTERS.length; r++) {
                inner.write(QUEUE_REGISTERS[r], 4, queue[q][r]);
            }
        }
        for (int w = 0; w < 2; w++) {
            inner.write(DRIVER_FEATURES_SEL, 4, w);
            inner.write(DRIVER_FEATURES, 4, driverFeatures[w]);
        }
        inner.write(DRIVER_FEATURES_SEL, 4, driverFeaturesSel);
        inner.write(DEVICE_FEATURES_SEL, 4, deviceFeaturesSel);
        inner.write(QUEUE_SEL, 4, 0);
        queueSel = 0;
    }

    @Override
    public void hardReset() {
        for (long[] q : queue) {
            Arrays.fill(q, 0);
        }
        driverFeatures[0] = driverFeatures[1] = 0;
        driverFeaturesSel = deviceFeaturesSel = 0;
        queueSel = 0;
        inner.hardReset();
    }
}
