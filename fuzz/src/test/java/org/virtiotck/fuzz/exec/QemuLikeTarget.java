package org.virtiotck.fuzz.exec;

import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;
import static org.virtiotck.spec.MmioRegister.QUEUE_NUM_MAX;

import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.Targets;

/**
 * The reference device made to do what QEMU 7.2 did in a campaign finding, for the oracle's tests: report QEMU's
 * QueueNumMax (1024, the reference's own is smaller), take an 8-byte register write as two 32-bit ones, and change
 * guest memory at a notify where QEMU wrote. Being wrapped, it is not its own oracle: the harness runs a second
 * reference device beside it, as it does for any outside target.
 */
final class QemuLikeTarget extends ForwardingTarget {
    private boolean queueNumMax1024;
    private boolean splitWide;
    private long flipAt = -1;
    private int flipLen;

    private QemuLikeTarget(String uri) {
        super(Targets.open(uri));
    }

    /** The legacy reference device, doing nothing QEMU-like yet. */
    static QemuLikeTarget legacy() {
        return new QemuLikeTarget("reference:legacy");
    }

    /** QueueNumMax reads 1024 for every queue that exists. */
    QemuLikeTarget queueNumMax1024() {
        queueNumMax1024 = true;
        return this;
    }

    /** An 8-byte register write becomes two 32-bit writes, low half first. */
    QemuLikeTarget splittingWideWrites() {
        splitWide = true;
        return this;
    }

    /** At every notify, the {@code len} bytes at RAM offset {@code at} are inverted (so they surely change). */
    QemuLikeTarget flippingAtNotify(long at, int len) {
        flipAt = at;
        flipLen = len;
        return this;
    }

    @Override
    public long read(long offset, int width) {
        long v = inner.read(offset, width);
        return queueNumMax1024 && offset == QUEUE_NUM_MAX && v != 0 ? 1024 : v;
    }

    @Override
    public void write(long offset, int width, long value) {
        if (splitWide && width == 8) {
            inner.write(offset, 4, value & 0xffffffffL);
            inner.write(offset + 4, 4, value >>> 32);
            return;
        }
        inner.write(offset, width, value);
        if (offset == QUEUE_NOTIFY && flipAt >= 0) {
            byte[] b = new byte[flipLen];
            inner.readMemory(inner.ram().base() + flipAt, b, 0, flipLen);
            for (int i = 0; i < flipLen; i++) {
                b[i] ^= (byte) 0xff;
            }
            inner.writeMemory(inner.ram().base() + flipAt, b, 0, flipLen);
        }
    }
}
