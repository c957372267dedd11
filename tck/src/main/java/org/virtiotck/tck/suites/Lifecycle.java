package org.virtiotck.tck.suites;

import static org.virtiotck.spec.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.virtiotck.spec.MmioRegister.INTERRUPT_STATUS;
import static org.virtiotck.spec.MmioRegister.INT_USED_BUFFER;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;
import static org.virtiotck.spec.MmioRegister.QUEUE_READY;
import static org.virtiotck.spec.MmioRegister.QUEUE_RESET;
import static org.virtiotck.spec.MmioRegister.QUEUE_SEL;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Tck;

/**
 * The lifecycle states in which device MUSTs about serving requests are checked again (issue #10): after the first
 * initialization, after a reset and re-initialization, after a queue reset and re-enable, and after recovery from
 * DEVICE_NEEDS_RESET. Each state ends with a careful driver at DRIVER_OK (EVENT_IDX not negotiated, so every used
 * buffer must be notified) and fresh, zeroed rings on queue 0.
 */
enum Lifecycle {
    FIRST_INITIALIZATION(List.of("split-desc.dev.1", "split.dev.11", "split.dev.16", "mmio.dev.4")),
    AFTER_RESET_AND_REINITIALIZATION(List.of("split-desc.dev.1", "split.dev.11", "split.dev.16", "mmio.dev.4",
            "mmio.dev.5")),
    AFTER_QUEUE_RESET_AND_REENABLE(List.of("split-desc.dev.1", "split.dev.11", "split.dev.16", "vq.dev.2")),
    /** Reached by breaking a driver rule (a head out of range): its test is marked as breaking driver rules. */
    AFTER_NEEDS_RESET_RECOVERY(List.of("split-desc.dev.1", "split.dev.11", "split.dev.16", "mmio.dev.4",
            "mmio.dev.5"));

    /** Features the states negotiate: all the careful driver knows, EVENT_IDX excepted. */
    static final long WANTED = ~FeatureBit.mask(FeatureBit.EVENT_IDX);
    private static final long SECTOR = 40;

    private final List<String> ids;

    Lifecycle(List<String> ids) {
        this.ids = ids;
    }

    /** The requirement ids checked in this state. */
    List<String> ids() {
        return ids;
    }

    @Override
    public String toString() {
        return name() + " " + ids;
    }

    /** Brings a fresh device into this state; returns the careful driver, at DRIVER_OK. */
    BlkDriver enter(Tck tck) {
        BlkDriver d = tck.driver();
        init(d);
        if (this == FIRST_INITIALIZATION) {
            return d;
        }
        Expect.equal("FLUSH before the " + this, Blk.S_OK, d.flush().status());
        switch (this) {
            case AFTER_RESET_AND_REINITIALIZATION -> init(d);
            case AFTER_QUEUE_RESET_AND_REENABLE -> queueReset(tck, d);
            default -> {
                provokeNeedsReset(d);
                init(d);
            }
        }
        return d;
    }

    private static void init(BlkDriver d) {
        BlkDriver.Init init = d.initialize(WANTED, 0);
        Expect.that(init.ok(), "careful initialization", String.valueOf(init.problem()));
    }

    private static void queueReset(Tck tck, BlkDriver d) {
        tck.assumeModern();
        Assumptions.assumeTrue(d.negotiated(FeatureBit.RING_RESET), "VIRTIO_F_RING_RESET not negotiated");
        int size = d.queue(0).size();
        d.mmio().write(QUEUE_SEL, 0);
        d.mmio().write(QUEUE_RESET, 1);
        Deadline dl = Deadline.in(Timeouts.reset());
        for (int i = 0; d.mmio().read(QUEUE_RESET) != 0 && !dl.expired(); i++) {
            dl.pause(i);
        }
        // Whether the queue reset itself works is QueueSuite#queueResetReturnsTheQueueToItsInitialState's question.
        Assumptions.assumeTrue(d.mmio().read(QUEUE_RESET) == 0 && d.mmio().read(QUEUE_READY) == 0,
                "the queue reset did not complete (judged by QueueSuite#queueResetReturnsTheQueueToItsInitialState)");
        d.queue(0).abandonInFlight();
        d.setupQueue(0, size);
    }

    /** A head equal to the queue size: no driver may publish it; a device should enter DEVICE_NEEDS_RESET. */
    private static void provokeNeedsReset(BlkDriver d) {
        SplitQueue q = d.queue(0);
        q.putRingEntry(q.availIdx(), q.size());
        q.setAvailIdx(q.availIdx() + 1);
        d.mmio().write(QUEUE_NOTIFY, 0);
        Deadline dl = Deadline.in(Timeouts.quietPeriod().multipliedBy(5));
        for (int i = 0; (d.mmio().status() & DEVICE_NEEDS_RESET) == 0 && !dl.expired(); i++) {
            dl.pause(i);
        }
        Assumptions.assumeTrue((d.mmio().status() & DEVICE_NEEDS_RESET) != 0 || d.legacy(),
                "the device did not enter DEVICE_NEEDS_RESET (StatusAndResetSuite judges that SHOULD)");
    }

    /**
     * In this state: no stale InterruptStatus bit, used idx counting from 0 with the right heads, the data written
     * before the used idx moved, and a used-buffer notification for every completion.
     */
    void checkServing(BlkDriver d, Tck tck) {
        tck.verifies(ids.toArray(String[]::new));
        String in = " " + name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        if (this != AFTER_QUEUE_RESET_AND_REENABLE) {
            Expect.equal("InterruptStatus before any request" + in, 0, d.mmio().read(INTERRUPT_STATUS) & 3);
        }
        SplitQueue q = d.queue(0);
        Expect.equal("used idx of the fresh queue" + in, 0, q.deviceUsedIdx());
        boolean ro = d.offered(FeatureBit.BLK_RO);
        byte[] data = SuiteData.pattern(2 * Blk.SECTOR_SIZE, ordinal() + 77);
        int requests = 0;
        if (!ro) {
            served(d, d.post(0, BlkRequest.write(SECTOR, data)), ++requests, in);
        }
        Completion rd = served(d, d.post(0, BlkRequest.read(SECTOR, data.length)), ++requests, in);
        Expect.that(rd.usedLen() > data.length, "used len of the READ covers its " + (data.length + 1)
                + " written bytes" + in, "len " + rd.usedLen());
        if (!ro) {
            Expect.that(Arrays.equals(data, rd.in()), "READ returns what the WRITE stored" + in,
                    "other bytes (the device advanced used idx before writing the data?)");
        }
    }

    /** Waits for {@code p}; checks its head, the used idx and the used-buffer notification. */
    private static Completion served(BlkDriver d, BlkDriver.Pending p, int expectedUsedIdx, String in) {
        d.clearSeenInterrupts();
        Completion c = d.await(p);
        Expect.equal("used element id" + in, p.head(), c.usedId());
        Expect.equal("status" + in, Blk.S_OK, c.status());
        Expect.equal("used idx after " + expectedUsedIdx + " request(s)" + in, expectedUsedIdx,
                p.queue().deviceUsedIdx());
        Deadline dl = Deadline.in(Timeouts.quietPeriod().multipliedBy(5));
        for (int i = 0; ; i++) {
            d.serviceInterrupt(); // reads InterruptStatus while the line is asserted, or always without a line
            if ((d.seenInterrupts() & INT_USED_BUFFER) != 0 || dl.expired()) {
                break;
            }
            dl.pause(i);
        }
        Expect.that((d.seenInterrupts() & INT_USED_BUFFER) != 0, "a used-buffer notification for the used buffer"
                + in + " (avail flags 0, no EVENT_IDX)", "InterruptStatus bit 0 never seen");
        return c;
    }
}
