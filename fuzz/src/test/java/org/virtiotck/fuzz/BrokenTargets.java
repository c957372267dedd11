package org.virtiotck.fuzz;

import static org.virtiotck.spec.MmioRegister.*;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.virtiotck.device.ForwardingMmioDevice;
import org.virtiotck.device.ReferenceBlockDevice;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.GuardedTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.TargetUri;
import org.virtiotck.tck.adapter.reference.ReferenceTargetProvider;

/** Deliberately broken reference-device decorators, to check that campaigns find what they should. */
final class BrokenTargets {
    private BrokenTargets() {
    }

    /** Snoops queue 0's layout from register writes, as a device would keep it. */
    static class Snoop extends ForwardingMmioDevice {
        final ReferenceBlockDevice device;
        final AtomicReference<Target> self;
        int sel;
        int num;
        long desc;
        long used;

        Snoop(ReferenceBlockDevice device, AtomicReference<Target> self) {
            super(device);
            this.device = device;
            this.self = self;
        }

        @Override
        public void write(long offset, int width, long value) {
            if (width == 4) {
                int v = (int) value;
                switch ((int) offset) {
                    case QUEUE_SEL -> sel = v;
                    case QUEUE_NUM -> num = sel == 0 ? v : num;
                    case QUEUE_DESC_LOW -> desc = sel == 0 ? (desc & ~0xffffffffL) | (v & 0xffffffffL) : desc;
                    case QUEUE_DESC_HIGH -> desc = sel == 0 ? (desc & 0xffffffffL) | ((long) v << 32) : desc;
                    case QUEUE_DEVICE_LOW -> used = sel == 0 ? (used & ~0xffffffffL) | (v & 0xffffffffL) : used;
                    case QUEUE_DEVICE_HIGH -> used = sel == 0 ? (used & 0xffffffffL) | ((long) v << 32) : used;
                    default -> {
                    }
                }
            }
            device.write(offset, width, value);
            if (offset == QUEUE_NOTIFY && width == 4) {
                afterNotify();
            }
        }

        void afterNotify() {
        }
    }

    /** After completing requests, also writes one byte just past the used ring (a one-byte overrun). */
    static Target overrun() {
        AtomicReference<Target> self = new AtomicReference<>();
        Target t = new ReferenceTargetProvider().open(TargetUri.parse("reference"), d -> new Snoop(d, self) {
            @Override
            void afterNotify() {
                if ((device.interruptStatus() & INT_USED_BUFFER) != 0 && num > 0 && num <= 256) {
                    long at = used + SplitRing.usedRingBytes(num);
                    Target me = self.get();
                    if (me.ram().contains(at, 1)) {
                        me.writeMemory(at, new byte[] {(byte) 0xEE}, 0, 1);
                    }
                }
            }
        });
        self.set(t);
        return t;
    }

    /** Hangs (until interrupted) in QueueNotify when a descriptor of queue 0 chains to itself; guarded. */
    static Target hangOnLoop(Duration guard) {
        AtomicReference<Target> self = new AtomicReference<>();
        Target t = new ReferenceTargetProvider().open(TargetUri.parse("reference"), d -> new Snoop(d, self) {
            @Override
            public void write(long offset, int width, long value) {
                if (offset == QUEUE_NOTIFY && width == 4 && hasSelfLoop()) {
                    long end = System.nanoTime() + 5_000_000_000L;
                    while (!Thread.currentThread().isInterrupted() && System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    return;
                }
                super.write(offset, width, value);
            }

            boolean hasSelfLoop() {
                Target me = self.get();
                int n = Math.min(num, 64);
                byte[] b = new byte[16];
                for (int i = 0; i < n; i++) {
                    long at = desc + 16L * i;
                    if (!me.ram().contains(at, 16)) {
                        return false;
                    }
                    me.readMemory(at, b, 0, 16);
                    int flags = (b[12] & 0xff) | (b[13] & 0xff) << 8;
                    int next = (b[14] & 0xff) | (b[15] & 0xff) << 8;
                    if ((flags & SplitRing.DESC_F_NEXT) != 0 && next == i) {
                        return true;
                    }
                }
                return false;
            }
        });
        self.set(t);
        return new GuardedTarget(t, guard);
    }
}
