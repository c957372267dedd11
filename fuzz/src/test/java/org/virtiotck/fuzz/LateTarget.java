package org.virtiotck.fuzz;

import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;
import static org.virtiotck.spec.MmioRegister.STATUS;

import java.util.ArrayDeque;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * A correct device that completes late, deterministically: a QueueNotify write reaches the device only after the
 * next {@code delay} target calls (so a device that reads its chains some time after the notification, as the
 * served reference with {@code --complete-after-ms} does, but the same way on every run); a device reset hands
 * every waiting notification over first, as QEMU and the served reference drain in-flight requests.
 */
final class LateTarget extends ForwardingTarget {
    private final int delay;
    private final ArrayDeque<long[]> waiting = new ArrayDeque<>();
    private long calls;

    LateTarget(Target inner, int delay) {
        super(inner);
        this.delay = delay;
    }

    /** The in-process reference device ({@code uri}) completing {@code delay} calls late. */
    static LateTarget reference(String uri, int delay) {
        return new LateTarget(Targets.open(uri), delay);
    }

    private void tick() {
        calls++;
        while (!waiting.isEmpty() && waiting.peek()[1] <= calls) {
            inner.write(QUEUE_NOTIFY, 4, waiting.poll()[0]);
        }
    }

    private void drain() {
        while (!waiting.isEmpty()) {
            inner.write(QUEUE_NOTIFY, 4, waiting.poll()[0]);
        }
    }

    @Override
    public long read(long offset, int width) {
        tick();
        return inner.read(offset, width);
    }

    @Override
    public void write(long offset, int width, long value) {
        tick();
        if (offset == QUEUE_NOTIFY && width == 4) {
            waiting.add(new long[] {value, calls + delay});
            return;
        }
        if (offset == STATUS && value == 0) {
            drain();
        }
        inner.write(offset, width, value);
    }

    @Override
    public void readMemory(long gpa, byte[] dst, int dstOffset, int length) {
        tick();
        inner.readMemory(gpa, dst, dstOffset, length);
    }

    @Override
    public void writeMemory(long gpa, byte[] src, int srcOffset, int length) {
        tick();
        inner.writeMemory(gpa, src, srcOffset, length);
    }

    @Override
    public void hardReset() {
        waiting.clear();
        inner.hardReset();
    }
}
