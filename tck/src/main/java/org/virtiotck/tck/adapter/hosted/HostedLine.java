package org.virtiotck.tck.adapter.hosted;

import java.time.Duration;
import java.util.function.Consumer;
import org.virtiotck.device.InterruptLine;
import org.virtiotck.tck.spi.InterruptObserver;

/**
 * A hosted device's level-triggered interrupt line as the host sees it: the level the device drives, its rising
 * edges, and an optional forwarder that passes each change on (to KVM's irqchip, to a vCPU's pending interrupt).
 * Safe to drive from any thread (a native device may signal from its own worker).
 */
public final class HostedLine implements InterruptLine, InterruptObserver {
    private final Consumer<Boolean> forward;
    private boolean level;
    private long edges;

    public HostedLine() {
        this(l -> {});
    }

    public HostedLine(Consumer<Boolean> forward) {
        this.forward = forward;
    }

    /** Lowers the line and forgets its edges (a fresh device). */
    public void reset() {
        boolean was;
        synchronized (this) {
            was = level;
            level = false;
            edges = 0;
        }
        if (was) {
            forward.accept(false);
        }
    }

    @Override
    public void setLevel(boolean asserted) {
        boolean changed;
        synchronized (this) {
            changed = asserted != level;
            if (asserted && !level) {
                edges++;
            }
            level = asserted;
            if (changed) {
                notifyAll();
            }
        }
        if (changed) {
            forward.accept(asserted);
        }
    }

    @Override
    public synchronized boolean asserted() {
        return level;
    }

    @Override
    public synchronized boolean awaitAsserted(Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!level) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return level;
            }
        }
        return true;
    }

    @Override
    public synchronized long risingEdges() {
        return edges;
    }
}
