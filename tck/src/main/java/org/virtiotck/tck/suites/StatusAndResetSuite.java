package org.virtiotck.tck.suites;

import static org.virtiotck.spec.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.spec.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.virtiotck.spec.DeviceStatus.DRIVER;
import static org.virtiotck.spec.DeviceStatus.DRIVER_OK;
import static org.virtiotck.spec.DeviceStatus.FEATURES_OK;
import static org.virtiotck.spec.MmioRegister.*;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/** Device status field, reset, and what reset must clear (§2.1, §2.4, §4.2.2). */
@VirtioSuite("status")
class StatusAndResetSuite {

    @Test
    @Verifies("status-desc.dev.1")
    void statusIsZeroAtPowerOn(Tck tck) {
        // The extension hands every test a freshly powered-on device; nothing has written Status yet.
        Expect.equal("Status of a fresh device", 0, tck.driver().mmio().status());
    }

    @Test
    @Verifies("mmio-desc.dev.7")
    void statusReadsBackTheFlagsTheDriverSet(Tck tck) {
        BlkDriver d = tck.driver();
        d.identify();
        d.reset();
        d.addStatus(ACKNOWLEDGE);
        Expect.equal("Status after ACKNOWLEDGE", ACKNOWLEDGE, d.mmio().status());
        d.addStatus(DRIVER);
        Expect.equal("Status after DRIVER", ACKNOWLEDGE | DRIVER, d.mmio().status());
    }

    @Test
    @Verifies({"reset.dev.1", "mmio-desc.dev.7"})
    void writingZeroResetsStatusToZero(Tck tck) {
        BlkDriver d = tck.ready();
        Expect.that((d.mmio().status() & DRIVER_OK) != 0, "DRIVER_OK set after initialization",
                DeviceStatus.describe(d.mmio().status()));
        d.mmio().setStatus(0);
        Deadline deadline = Deadline.in(Timeouts.reset());
        int status;
        for (int i = 0; (status = d.mmio().status()) != 0 && !deadline.expired(); i++) {
            deadline.pause(i);
        }
        Expect.equal("Status after writing 0", 0, status);
    }

    @Test
    @Verifies("mmio.dev.5")
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void resetClearsInterruptStatus(Tck tck) {
        BlkDriver d = tck.ready();
        BlkDriver.Pending p = d.post(0, BlkRequest.flush());
        d.awaitUsed(p.queue(), false);
        int before = awaitInterruptStatus(d, INT_USED_BUFFER);
        org.junit.jupiter.api.Assumptions.assumeTrue((before & INT_USED_BUFFER) != 0,
                "the device raised no used-buffer interrupt, so there is nothing for a reset to clear");
        d.reset();
        Expect.equal("InterruptStatus after reset", 0, d.mmio().read(INTERRUPT_STATUS));
        d.target().interrupts().ifPresent(irq ->
                Expect.that(!irq.asserted(), "interrupt line deasserted after reset", "line still asserted"));
    }

    @Test
    @Verifies("mmio.dev.6")
    void resetClearsQueueReadyOnEveryQueue(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.ready();
        int queues = d.queueCount();
        d.reset();
        for (int i = 0; i < queues; i++) {
            d.mmio().write(QUEUE_SEL, i);
            Expect.equal("QueueReady of queue " + i + " after reset", 0, d.mmio().read(QUEUE_READY));
        }
    }

    @Test
    @Verifies("mmio.dev.9")
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void queueResetReadsZeroAfterDeviceReset(Tck tck) {
        tck.assumeModern();
        tck.assumeOffered(FeatureBit.RING_RESET);
        BlkDriver d = tck.ready();
        d.flush();
        d.reset();
        d.mmio().write(QUEUE_SEL, 0);
        Expect.equal("QueueReset after device reset", 0, d.mmio().read(QUEUE_RESET));
    }

    @Test
    @Verifies("reset.dev.2")
    @BreaksDriverRules("notifies a queue of a device that was reset, to see whether the device still uses it")
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void resetDeviceNeitherTouchesRingsNorInterrupts(Tck tck) {
        BlkDriver d = tck.ready();
        d.flush();
        SplitQueue q = d.queue(0);
        d.reset();
        long irqEdges = d.target().interrupts().map(i -> i.risingEdges()).orElse(0L);
        byte[] usedBefore = d.ram().read(q.usedAddr(), (int) SplitRing.usedRingBytes(q.size()));
        // The driver's memory still holds a valid ring: make a request available there and notify.
        int head = q.addChain(java.util.List.of(
                SplitQueue.Buf.readable(d.ram().alloc(16, 16), 16), SplitQueue.Buf.writable(d.ram().alloc(1, 1), 1)));
        q.publish(head);
        d.mmio().write(QUEUE_NOTIFY, 0);
        sleepQuietly();
        byte[] usedAfter = d.ram().read(q.usedAddr(), usedBefore.length);
        Expect.noCorruption(Arrays.equals(usedBefore, usedAfter), "used ring untouched after reset",
                "used ring changed (used idx " + q.deviceUsedIdx() + ")");
        Expect.equal("InterruptStatus after reset and notify", 0, d.mmio().read(INTERRUPT_STATUS));
        long edges = d.target().interrupts().map(i -> i.risingEdges()).orElse(0L);
        Expect.equal("interrupts raised after reset", irqEdges, edges);
    }

    @Test
    @Verifies({"status.dev.1", "status.dev.2"})
    @BreaksDriverRules("notifies before DRIVER_OK to see whether the device serves the request early")
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void noBufferIsUsedBeforeDriverOk(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.driver();
        d.identify();
        d.reset();
        d.addStatus(ACKNOWLEDGE);
        d.addStatus(DRIVER);
        d.readDeviceFeatures();
        d.writeDriverFeatures(d.choose(~FeatureBit.mask(FeatureBit.EVENT_IDX)));
        Expect.that(d.featuresOk(), "FEATURES_OK accepted", DeviceStatus.describe(d.mmio().status()));
        SplitQueue q = d.setupQueue(0, 0);
        BlkDriver.Pending p = d.build(0, BlkRequest.flush());
        q.publish(p.head());
        d.mmio().write(QUEUE_NOTIFY, 0);
        sleepQuietly();
        Expect.equal("used idx before DRIVER_OK", 0, q.deviceUsedIdx());
        Expect.equal("InterruptStatus before DRIVER_OK", 0, d.mmio().read(INTERRUPT_STATUS));
        // Once DRIVER_OK is set, the same request must be served after a notification.
        d.driverOk();
        d.mmio().write(QUEUE_NOTIFY, 0);
        var c = d.await(p);
        Expect.equal("status of the request served after DRIVER_OK", 0, c.status());
    }

    @Test
    @Verifies({"status.dev.3", "status.dev.4"})
    @BreaksDriverRules("makes a descriptor chain whose next index is out of range")
    @Requires({Prerequisite.REQUEST_COMPLETES, Prerequisite.RESET_WORKS})
    void structuralErrorSetsNeedsResetWithConfigInterrupt(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        long hdr = d.ram().alloc(16, 16);
        d.ram().write(hdr, BlkRequest.flush().header());
        // Descriptor 0 says NEXT but points past the end of the table: no driver may do this (§2.7.5).
        q.writeDescriptor(0, hdr, 16, SplitRing.DESC_F_NEXT, q.size() + 5);
        q.putRingEntry(q.availIdx(), 0);
        q.setAvailIdx(q.availIdx() + 1);
        d.mmio().write(QUEUE_NOTIFY, 0);
        Deadline deadline = Deadline.in(Timeouts.quietPeriod().multipliedBy(5));
        int status = d.mmio().status();
        for (int i = 0; (status & DEVICE_NEEDS_RESET) == 0 && !deadline.expired(); i++) {
            deadline.pause(i);
            status = d.mmio().status();
        }
        Expect.that((status & DEVICE_NEEDS_RESET) != 0,
                "DEVICE_NEEDS_RESET after an unrecoverable ring error (a SHOULD)", DeviceStatus.describe(status));
        int isr = awaitInterruptStatus(d, INT_CONFIG_CHANGE);
        Expect.that((isr & INT_CONFIG_CHANGE) != 0,
                "configuration change interrupt with DEVICE_NEEDS_RESET while DRIVER_OK",
                "InterruptStatus = 0x" + Integer.toHexString(isr));
        // A reset recovers the device.
        Expect.that(d.initialize(-1L).ok(), "careful initialization works after reset", "it did not");
        Expect.equal("flush after recovery", 0, d.flush().status());
    }

    @Test
    @Verifies("features.dev.5")
    void theSameFeatureSetIsAcceptedAgainAfterReset(Tck tck) {
        BlkDriver d = tck.driver();
        BlkDriver.Init first = d.initialize(-1L);
        Expect.that(first.ok(), "first initialization accepted", String.valueOf(first.problem()));
        BlkDriver.Init again = d.initialize(first.negotiated());
        Expect.that(again.ok() && again.negotiated() == first.negotiated(),
                "the same features accepted again after reset: " + FeatureBit.describe(first.negotiated()),
                String.valueOf(again.problem()));
    }

    static Stream<Lifecycle> servingStates() {
        return Stream.of(Lifecycle.FIRST_INITIALIZATION, Lifecycle.AFTER_RESET_AND_REINITIALIZATION,
                Lifecycle.AFTER_QUEUE_RESET_AND_REENABLE);
    }

    /** The same serving MUSTs after the first initialization, a reset, and a queue reset (see {@link Lifecycle}). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("servingStates")
    @Verifies({"split-desc.dev.1", "split.dev.11", "split.dev.16", "mmio.dev.4", "mmio.dev.5", "vq.dev.2"})
    @Tag("read-only-disk")
    @Requires({Prerequisite.REQUEST_COMPLETES, Prerequisite.RESET_WORKS})
    void requestsAreServedInEveryLifecycleState(Lifecycle state, Tck tck) {
        state.checkServing(state.enter(tck), tck);
    }

    @Test
    @Verifies({"split-desc.dev.1", "split.dev.11", "split.dev.16", "mmio.dev.4", "mmio.dev.5"})
    @BreaksDriverRules("publishes a head out of range to bring the device into DEVICE_NEEDS_RESET, then recovers")
    @Requires({Prerequisite.REQUEST_COMPLETES, Prerequisite.RESET_WORKS})
    void requestsAreServedAfterNeedsResetRecovery(Tck tck) {
        Lifecycle state = Lifecycle.AFTER_NEEDS_RESET_RECOVERY;
        state.checkServing(state.enter(tck), tck);
    }

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
