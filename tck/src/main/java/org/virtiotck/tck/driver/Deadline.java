package org.virtiotck.tck.driver;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/** A point in time after which a wait gives up. Every wait in the harness goes through one. */
public final class Deadline {
    private final long endNanos;
    private final Duration budget;

    private Deadline(Duration budget) {
        this.budget = budget;
        this.endNanos = System.nanoTime() + budget.toNanos();
    }

    public static Deadline in(Duration budget) {
        return new Deadline(budget);
    }

    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }

    public Duration remaining() {
        long left = endNanos - System.nanoTime();
        return Duration.ofNanos(Math.max(0, left));
    }

    public Duration budget() {
        return budget;
    }

    /**
     * Pauses between two polls: spins briefly, then backs off to short sleeps, so synchronous targets answer
     * at once and asynchronous ones are not hammered.
     */
    public void pause(int attempt) {
        if (attempt < 64) {
            Thread.onSpinWait();
        } else {
            LockSupport.parkNanos(Math.min(1_000_000L, 10_000L * (attempt - 63)));
        }
    }
}
