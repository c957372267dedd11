package org.virtiotck.tck.suites;

import static org.virtiotck.spec.MmioRegister.*;

import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * Transport behaviour at the edges the other suites stop short of: the queue selector one past the last queue,
 * a notification that makes nothing new available, driver feature words past the two that hold features, and
 * notifications that carry notification data (VIRTIO_F_NOTIFICATION_DATA, when offered).
 */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("mmio")
class TransportEdgeSuite {

    @Test
    @Verifies({"mmio-desc.dev.4", "blk-desc.dev.2", "mmio-desc.dev.5", "mmio-legacy.dev.4"})
    void probingTheQueuesBeyondTheLastLeavesTheDeviceServing(Tck tck) {
        BlkDriver d = tck.ready();
        int queues = d.queueCount();
        // A driver looks for queues until QueueNumMax reads 0 (§4.2.3.2); the selector may name any number. Before
        // QueueNumMax it checks that the queue is not in use: QueueReady (modern) or QueuePFN (legacy) reads 0.
        int inUse = d.legacy() ? QUEUE_PFN : QUEUE_READY;
        String inUseName = d.legacy() ? "QueuePFN" : "QueueReady";
        for (int sel : new int[] {queues, queues + 1, 0xffff, -1}) {
            d.mmio().write(QUEUE_SEL, sel);
            Expect.equal(inUseName + " of queue " + Integer.toUnsignedString(sel) + " (no such queue)", 0,
                    d.mmio().read(inUse));
            Expect.equal("QueueNumMax of queue " + Integer.toUnsignedString(sel) + " (no such queue)", 0,
                    d.mmio().read(QUEUE_NUM_MAX));
        }
        d.mmio().write(QUEUE_SEL, 0);
        for (int q = 0; q < queues; q++) {
            Expect.equal("flush on request queue " + q + " after the probe", Blk.S_OK,
                    d.submit(q, org.virtiotck.tck.driver.BlkRequest.flush()).status());
        }
    }

    /**
     * QueueSel may name any number, and for one that names no queue QueueNumMax reads 0 (§4.2.2, QueueNumMax row),
     * whichever queue was selected before. Queue 0 (live) is selected first each time, so a device that ignores
     * such a selection and keeps the old one shows it.
     */
    @Test
    @Verifies("mmio-desc.dev.4")
    void aSelectorThatNamesNoQueueSelectsNoQueue(Tck tck) {
        BlkDriver d = tck.ready();
        for (int sel : new int[] {Math.max(d.queueCount(), 1024), 0xffff, -1}) {
            d.mmio().write(QUEUE_SEL, 0);
            d.mmio().write(QUEUE_SEL, sel);
            Expect.equal("QueueNumMax after QueueSel " + Integer.toUnsignedString(sel)
                    + " (no such queue; queue 0 was selected before)", 0, d.mmio().read(QUEUE_NUM_MAX));
        }
        d.mmio().write(QUEUE_SEL, 0);
        Expect.equal("flush after the selections", Blk.S_OK, d.flush().status());
    }

    @Test
    @Verifies("mmio.dev.4")
    void aNotificationThatMakesNothingAvailableRaisesNoUsedBufferInterrupt(Tck tck) {
        BlkDriver d = tck.driver();
        // Without EVENT_IDX and with avail flags 0, every used buffer is notified (split.dev.11): the used-buffer
        // bit then tells exactly whether a buffer was used.
        BlkDriver.Init init = d.initialize(~FeatureBit.mask(FeatureBit.EVENT_IDX));
        Expect.that(init.ok(), "initialization without EVENT_IDX accepted", String.valueOf(init.problem()));
        Expect.equal("flush", Blk.S_OK, d.flush().status());
        acknowledgeEverything(d);
        for (int round = 0; round < 2; round++) {
            d.mmio().write(QUEUE_NOTIFY, 0);
            Waits.sleepQuietly();
            int isr = d.mmio().read(INTERRUPT_STATUS);
            Expect.equal("InterruptStatus after a notification with no new available buffer (round " + round
                    + ")", 0, isr & INT_USED_BUFFER);
        }
    }

    @Test
    @Verifies("mmio-desc.dev.3")
    void driverFeatureWordsBeyondTheSecondLeaveTheFirstTwoAlone(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.driver();
        d.begin();
        long chosen = d.choose(-1L);
        // Words 2 and 3 are bits 64 to 127: nothing is offered there, so the driver accepts none of them, in the
        // order 0, 1, 2, 3. A device that takes every selector but 0 for the high word loses VERSION_1 and the
        // other bits 32 to 63 to the zeros of words 2 and 3.
        for (int sel = 0; sel <= 3; sel++) {
            d.mmio().write(DRIVER_FEATURES_SEL, sel);
            d.mmio().write(DRIVER_FEATURES, sel < 2 ? (int) (chosen >>> (32 * sel)) : 0);
        }
        Expect.that(d.featuresOk(), "FEATURES_OK kept for " + FeatureBit.describe(chosen)
                + " written as words 0 and 1 followed by zeros in words 2 and 3",
                DeviceStatus.describe(d.mmio().status()));
    }

    /** Waits for the completed request's notification to settle, then acknowledges whatever is pending. */
    private static void acknowledgeEverything(BlkDriver d) {
        Waits.sleepQuietly();
        int pending = d.mmio().read(INTERRUPT_STATUS) & (INT_USED_BUFFER | INT_CONFIG_CHANGE);
        if (pending != 0) {
            d.mmio().write(INTERRUPT_ACK, pending);
        }
        Expect.equal("InterruptStatus once the completed request was acknowledged", 0,
                d.mmio().read(INTERRUPT_STATUS) & INT_USED_BUFFER);
    }

    @Test
    @Verifies({"features.dev.2", "blk-desc.dev.10"})
    void notificationDataNamesTheQueueInItsLowSixteenBits(Tck tck) {
        tck.assumeModern();
        tck.assumeOffered(FeatureBit.NOTIFICATION_DATA);
        BlkDriver d = tck.driver();
        // The careful driver does not take NOTIFICATION_DATA; this test does, and then notifies as it must
        // (mmio-desc.drv.1, notif-desc.drv.1): queue index in bits 0-15, the next avail idx in bits 16-30, its bit
        // 15 as the wrap bit 31. EVENT_IDX is left out so that every notification is due.
        d.begin();
        long chosen = d.choose(~BlkDriver.mask(FeatureBit.EVENT_IDX)) | BlkDriver.mask(FeatureBit.NOTIFICATION_DATA);
        BlkDriver.Init init = d.finish(chosen, 0);
        Expect.that(init.ok(), "initialization with NOTIFICATION_DATA accepted (a valid subset of the offer)",
                String.valueOf(init.problem()));
        SplitQueue q = d.queue(0);
        for (int i = 1; i <= 2; i++) {
            BlkDriver.Pending p = d.build(0, BlkRequest.flush());
            q.publish(p.head());
            int next = q.availIdx();
            d.mmio().write(QUEUE_NOTIFY, q.index() | (next & 0x7fff) << 16 | (next >>> 15 & 1) << 31);
            Expect.equal("status of flush " + i + " notified with notification data", Blk.S_OK,
                    d.await(p).status());
        }
    }
}
