package org.virtiotck.tck.suites;

import static org.virtiotck.spec.MmioRegister.INTERRUPT_STATUS;

import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.Timeouts;

/** The bounded waits several suites share. */
final class Waits {
    private Waits() {}

    /** Waits, bounded, for an InterruptStatus bit; returns the last value read. */
    static int awaitInterruptStatus(BlkDriver d, int bit) {
        Deadline deadline = Deadline.in(Timeouts.completion());
        int isr = d.mmio().read(INTERRUPT_STATUS);
        for (int i = 0; (isr & bit) == 0 && !deadline.expired(); i++) {
            deadline.pause(i);
            isr = d.mmio().read(INTERRUPT_STATUS);
        }
        return isr;
    }

    /** Gives an asynchronous device time to do what it must not do. */
    static void sleepQuietly() {
        try {
            Thread.sleep(Timeouts.quietPeriod().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
