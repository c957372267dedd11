package org.virtiotck.tck.adapter.qtest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.virtiotck.tck.spi.InterruptObserver;

/**
 * The device's interrupt line as seen through qtest IRQ interception. The level and edge count are updated
 * by whichever thread reads the qtest stream; queries first {@linkplain QtestTarget#sync() sync} (one
 * harmless round trip) so that IRQ lines QEMU sent while nobody was calling are accounted for.
 */
final class QtestInterrupts implements InterruptObserver, QtestConnection.IrqListener {
    private final QtestTarget target;
    private volatile int line;
    private volatile boolean level;
    private volatile long edges;

    QtestInterrupts(QtestTarget target, int line) {
        this.target = target;
        this.line = line;
    }

    int line() {
        return line;
    }

    /** Forgets the line state, after a restart (qtest assumes every line low when a client connects). */
    void reset(int newLine) {
        line = newLine;
        level = false;
        edges = 0;
    }

    @Override
    public void irq(int n, boolean raised) {
        if (n != line) {
            return;
        }
        if (raised && !level) {
            edges = edges + 1;
        }
        level = raised;
    }

    @Override
    public boolean asserted() {
        target.sync();
        return level;
    }

    @Override
    public boolean awaitAsserted(Duration timeout) {
        long deadline = System.nanoTime() + Math.max(0, timeout.toNanos());
        long pause = 0;
        for (;;) {
            target.sync();
            if (level) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            // Polling with a growing pause: the first checks come back within tens of microseconds.
            pause = pause == 0 ? TimeUnit.MICROSECONDS.toNanos(20) : Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(1));
            LockSupport.parkNanos(Math.min(pause, left));
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                target.sync();
                return level;
            }
        }
    }

    @Override
    public long risingEdges() {
        target.sync();
        return edges;
    }

    @Override
    public String toString() {
        return "qtest IRQ line " + line + (level ? " (high)" : " (low)") + ", " + edges + " rising edges";
    }
}
