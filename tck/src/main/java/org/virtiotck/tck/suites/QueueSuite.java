package org.virtiotck.tck.suites;

import static org.virtiotck.spec.MmioRegister.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Deadline;
import org.virtiotck.tck.driver.GuestRam;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.driver.Timeouts;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/** Virtqueue setup, readiness, queue reset and notification handling (§2.6, §2.7, §4.2.2). */
@Requires({Prerequisite.REQUEST_COMPLETES})
@VirtioSuite("queues")
class QueueSuite {

    @Test
    @Verifies("mmio-desc.dev.5")
    @Requires({Prerequisite.FEATURES_NEGOTIATE})
    void queueReadyReadsBackPerQueue(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.ready();
        for (int i = 0; i < d.queueCount(); i++) {
            d.mmio().write(QUEUE_SEL, i);
            Expect.equal("QueueReady of enabled queue " + i, 1, d.mmio().read(QUEUE_READY));
        }
    }

    @Test
    @Verifies("mmio.dev.8")
    @BreaksDriverRules("notifies a queue that was configured but never made ready")
    void queueThatIsNotReadyIsNeverUsed(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.driver();
        d.begin();
        Expect.that(d.negotiate(d.choose(~FeatureBit.mask(FeatureBit.EVENT_IDX))), "FEATURES_OK accepted",
                "refused");
        // Configure queue 0 completely, but leave QueueReady at 0.
        d.mmio().write(QUEUE_SEL, 0);
        int max = d.mmio().read(QUEUE_NUM_MAX);
        int size = Math.min(max, 64);
        SplitQueue q = SplitQueue.allocateModern(d.ram(), 0, size);
        d.placeQueue(0, size, q.layout().desc(), q.layout().avail(), q.layout().used(), false);
        d.driverOk();
        long hdr = d.ram().alloc(17, 16);
        d.ram().write(hdr, BlkRequest.flush().header());
        int head = q.addChain(List.of(SplitQueue.Buf.readable(hdr, 16), SplitQueue.Buf.writable(hdr + 16, 1)));
        q.publish(head);
        byte[] usedBefore = d.ram().read(q.layout().used(), (int) SplitRing.usedRingBytes(size));
        d.mmio().write(QUEUE_NOTIFY, 0);
        Waits.sleepQuietly();
        Expect.noCorruption(Arrays.equals(usedBefore, d.ram().read(q.layout().used(), usedBefore.length)),
                "used ring of a queue with QueueReady 0 untouched", "the device wrote it");
        Expect.equal("status byte of the request on the queue that is not ready", 0, d.ram().u8(hdr + 16));
    }

    @Test
    @Verifies("split.dev.22")
    void spuriousNotificationsAreHarmless(Tck tck) {
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        for (int i = 0; i < 5; i++) {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        Waits.sleepQuietly();
        Expect.equal("used idx after notifications with nothing available", 0, q.deviceUsedIdx());
        Expect.equal("flush after spurious notifications", Blk.S_OK, d.flush().status());
        for (int i = 0; i < 3; i++) {
            d.mmio().write(QUEUE_NOTIFY, 0);
        }
        Waits.sleepQuietly();
        Expect.equal("used idx: exactly one request used", 1, q.deviceUsedIdx());
    }

    @Test
    @Verifies("split-desc.dev.1")
    void usedIdxStartsAtZeroAndCountsEachUsedBuffer(Tck tck) {
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        Expect.equal("used idx after queue setup", 0, q.deviceUsedIdx());
        for (int i = 1; i <= 5; i++) {
            d.flush();
            Expect.equal("used idx after " + i + " requests", i, q.deviceUsedIdx());
        }
    }

    @Test
    @Verifies("split-desc.dev.1")
    void usedElementsNameTheChainHeadsMadeAvailable(Tck tck) {
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        List<BlkDriver.Pending> pending = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            pending.add(d.build(0, BlkRequest.write(i, SuiteData.pattern(512, i))));
        }
        q.publish(pending.stream().mapToInt(BlkDriver.Pending::head).toArray());
        d.kick(q);
        List<Integer> heads = new ArrayList<>(pending.stream().map(BlkDriver.Pending::head).toList());
        Deadline deadline = Deadline.in(Timeouts.completion());
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; seen.size() < heads.size() && !deadline.expired(); i++) {
            d.serviceInterrupt();
            q.takeAllUsed().forEach(e -> seen.add(e.id()));
            deadline.pause(i);
        }
        Expect.equal("used ids (any order)", heads.stream().sorted().toList(), seen.stream().sorted().toList());
    }

    @Test
    @Verifies("reserved.dev.5")
    void inOrderDeviceUsesBuffersInOrder(Tck tck) {
        tck.assumeModern();
        tck.assumeOffered(FeatureBit.IN_ORDER);
        BlkDriver d = tck.driver();
        // The careful driver does not accept IN_ORDER by default; this test takes it on purpose.
        d.begin();
        Expect.that(d.negotiate(d.choose(-1L) | FeatureBit.mask(FeatureBit.IN_ORDER)), "FEATURES_OK with IN_ORDER",
                "refused");
        SplitQueue q = d.setupQueue(0, 0);
        d.driverOk();
        List<Integer> heads = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            BlkDriver.Pending p = d.build(0, BlkRequest.read(i, 512));
            heads.add(p.head());
            q.publish(p.head());
        }
        d.kick(q);
        Deadline deadline = Deadline.in(Timeouts.completion());
        List<Integer> seen = new ArrayList<>();
        for (int i = 0; !seen.contains(heads.getLast()) && !deadline.expired(); i++) {
            d.serviceInterrupt();
            q.takeAllUsed().forEach(e -> seen.add(e.id()));
            deadline.pause(i);
        }
        Expect.that(seen.contains(heads.getLast()), "the last buffer used", "used ids " + seen);
        // With IN_ORDER a device may report a batch by its last buffer only (split-desc.dev.2), so the ids seen
        // must be a subsequence of the availability order ending with the last head.
        int at = -1;
        for (int id : seen) {
            int pos = heads.indexOf(id);
            Expect.that(pos > at, "used ids in the order the buffers were made available " + heads, "saw " + seen);
            at = pos;
        }
    }

    @Test
    @Verifies({"mmio.dev.11", "mmio.dev.13", "mmio.dev.10", "vq.dev.2", "vq.dev.3"})
    void queueResetReturnsTheQueueToItsInitialState(Tck tck) {
        tck.assumeModern();
        tck.assumeOffered(FeatureBit.RING_RESET);
        BlkDriver d = tck.ready();
        Expect.that(d.negotiated(FeatureBit.RING_RESET), "RING_RESET negotiated", "not negotiated");
        d.write(0, SuiteData.pattern(512, 9));
        d.mmio().write(QUEUE_SEL, 0);
        d.mmio().write(QUEUE_RESET, 1);
        Deadline deadline = Deadline.in(Timeouts.reset());
        int reset;
        for (int i = 0; (reset = d.mmio().read(QUEUE_RESET)) != 0 && !deadline.expired(); i++) {
            deadline.pause(i);
        }
        Expect.equal("QueueReset once the reset completed", 0, reset);
        Expect.equal("QueueReady after queue reset", 0, d.mmio().read(QUEUE_READY));
        d.queue(0).abandonInFlight();
        // Re-enable with a different size at fresh addresses: the device must use the new configuration.
        int newSize = Math.max(2, d.queue(0).size() / 2);
        SplitQueue q = d.setupQueue(0, newSize);
        Expect.equal("QueueReset after the queue is enabled again", 0, d.mmio().read(QUEUE_RESET));
        Expect.equal("used idx of the re-enabled queue", 0, q.deviceUsedIdx());
        byte[] data = SuiteData.pattern(512, 10);
        Expect.equal("write after queue reset", Blk.S_OK, d.write(1, data).status());
        Expect.that(Arrays.equals(data, d.read(1, 512).in()), "read back after queue reset", "different bytes");
        Expect.equal("used idx counts from 0 after queue reset", 2, q.deviceUsedIdx());
    }

    @Test
    @Verifies("vq.dev.1")
    @BreaksDriverRules("makes a buffer available on a queue that is being reset")
    void resetQueueExecutesNoFurtherRequests(Tck tck) {
        tck.assumeModern();
        tck.assumeOffered(FeatureBit.RING_RESET);
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        d.flush();
        d.mmio().write(QUEUE_SEL, 0);
        d.mmio().write(QUEUE_RESET, 1);
        Deadline deadline = Deadline.in(Timeouts.reset());
        for (int i = 0; d.mmio().read(QUEUE_RESET) != 0 && !deadline.expired(); i++) {
            deadline.pause(i);
        }
        d.clearSeenInterrupts();
        int isrBefore = d.mmio().read(INTERRUPT_STATUS);
        if (isrBefore != 0) {
            d.mmio().write(INTERRUPT_ACK, isrBefore);
        }
        byte[] usedBefore = d.ram().read(q.layout().used(), (int) SplitRing.usedRingBytes(q.size()));
        BlkDriver.Pending p = d.build(0, BlkRequest.write(3, SuiteData.pattern(512, 11)));
        q.publish(p.head());
        d.mmio().write(QUEUE_NOTIFY, 0);
        Waits.sleepQuietly();
        Expect.noCorruption(Arrays.equals(usedBefore, d.ram().read(q.layout().used(), usedBefore.length)),
                "the old used ring is untouched after queue reset", "the device wrote it");
        Expect.equal("InterruptStatus after notifying a reset queue", 0,
                d.mmio().read(INTERRUPT_STATUS) & INT_USED_BUFFER);
    }

    @Test
    @Verifies({"split-desc.dev.1", "mmio-desc.dev.5"})
    void writingQueueReadyOneAgainLeavesALiveQueueWhereItWas(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.ready();
        SplitQueue q = d.queue(0);
        for (int i = 0; i < 3; i++) {
            Expect.equal("flush " + (i + 1) + " before QueueReady is written again", Blk.S_OK, d.flush().status());
        }
        // No rule keeps a driver from writing 1 to QueueReady of a queue that is already ready (mmio.drv.15 names
        // QueueSize and the ring addresses only). It is not a new enablement: the ring positions stay.
        d.mmio().write(QUEUE_SEL, 0);
        d.mmio().write(QUEUE_READY, 1);
        Expect.equal("QueueReady after writing 1 again", 1, d.mmio().read(QUEUE_READY));
        Expect.equal("flush after QueueReady was written again", Blk.S_OK, d.flush().status());
        Expect.equal("used idx after 4 requests (it only increases, split-desc.dev.1)", 4, q.deviceUsedIdx());
    }

    @Test
    @Verifies("split.dev.1")
    void aTransferThatStartsInsideOneBufferAndEndsInTheNextMovesEveryByte(Tck tck) {
        BlkDriver d = tck.ready();
        Assumptions.assumeFalse(d.offered(FeatureBit.BLK_RO), "read-only disk: no WRITE to check");
        Assumptions.assumeTrue(!d.legacy() || d.negotiated(FeatureBit.ANY_LAYOUT),
                "legacy without ANY_LAYOUT: the header must be a descriptor of its own (blk-legacy.drv.9)");
        SplitQueue q = d.queue(0);
        GuestRam ram = d.ram();
        long sector = 48;
        byte[] data = SuiteData.pattern(2 * Blk.SECTOR_SIZE, 48);
        int shared = 100; // data bytes in the header's buffer; the data stream starts 16 bytes into that buffer
        long mark = ram.mark();
        long first = ram.alloc(16 + shared + 64, 16);
        ram.write(first, BlkRequest.write(sector, data).header());
        ram.write(first + 16, Arrays.copyOfRange(data, 0, shared));
        byte[] outside = new byte[64];
        Arrays.fill(outside, (byte) 0x5a); // right after the first buffer, part of no buffer
        ram.write(first + 16 + shared, outside);
        long rest = ram.alloc(data.length - shared, 16);
        ram.write(rest, Arrays.copyOfRange(data, shared, data.length));
        long status = ram.alloc(1, 16);
        ram.putU8(status, 0xff);
        int head = q.addChain(List.of(SplitQueue.Buf.readable(first, 16 + shared),
                SplitQueue.Buf.readable(rest, data.length - shared), SplitQueue.Buf.writable(status, 1)));
        q.publish(head);
        d.kick(q);
        Expect.equal("used element id of the WRITE", head, d.awaitUsed(q, true).id());
        Expect.equal("status of a WRITE whose data begins in the header's buffer", Blk.S_OK, ram.u8(status));
        ram.resetTo(mark);
        byte[] back = d.read(sector, data.length).in();
        Expect.noCorruption(Arrays.equals(data, back), "READ returns the " + data.length + " bytes of a WRITE whose"
                + " first " + shared + " data bytes shared the header's buffer", "different bytes from offset "
                + Arrays.mismatch(data, back) + " (the device read past the end of a buffer, or skipped bytes)");
    }

    @Test
    @Verifies("split-desc.dev.1")
    void ringAddressesWrittenHighHalfFirstPlaceTheRings(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.driver();
        d.begin();
        Expect.that(d.negotiate(d.choose(~BlkDriver.mask(FeatureBit.EVENT_IDX, FeatureBit.BLK_MQ))),
                "FEATURES_OK accepted", "refused");
        d.mmio().write(QUEUE_SEL, 0);
        int size = Math.min(d.mmio().read(QUEUE_NUM_MAX), 64);
        SplitQueue q = SplitQueue.allocateModern(d.ram(), 0, size);
        d.mmio().write(QUEUE_NUM, size);
        // The spec orders no half before the other (mmio-desc.drv.2 says only "set the addresses"): each 32-bit
        // write replaces its own half of the 64-bit address and leaves the other alone.
        long[] at = {q.layout().desc(), q.layout().avail(), q.layout().used()};
        int[] low = {QUEUE_DESC_LOW, QUEUE_DRIVER_LOW, QUEUE_DEVICE_LOW};
        int[] high = {QUEUE_DESC_HIGH, QUEUE_DRIVER_HIGH, QUEUE_DEVICE_HIGH};
        for (int i = 0; i < 3; i++) {
            d.mmio().write(high[i], (int) (at[i] >>> 32));
            d.mmio().write(low[i], (int) at[i]);
        }
        d.mmio().write(QUEUE_READY, 1);
        d.driverOk();
        for (int i = 1; i <= 2; i++) {
            BlkDriver.Pending p = d.build(q, BlkRequest.flush());
            q.publish(p.head());
            d.kick(q);
            Expect.equal("status of flush " + i + " on a queue whose ring addresses were written high half first",
                    Blk.S_OK, d.await(p).status());
            Expect.equal("used idx of that queue after " + i + " requests", i, q.deviceUsedIdx());
        }
    }

    @Test
    @Verifies("mmio-desc.dev.4")
    void aQueueOfQueueNumMaxEntriesServes(Tck tck) {
        BlkDriver d = tck.driver();
        d.begin();
        Expect.that(d.negotiate(d.choose(~FeatureBit.mask(FeatureBit.BLK_MQ))), "FEATURES_OK accepted", "refused");
        d.mmio().write(QUEUE_SEL, 0);
        int max = d.mmio().read(QUEUE_NUM_MAX);
        Expect.that(max > 0, "QueueNumMax of queue 0 (it must exist, blk-desc.dev.2)", "reads " + max);
        // QueueNumMax is the limit (mmio-desc.dev.4): the largest power of two up to it (split-desc.drv.1) must do.
        int size = Integer.highestOneBit(Math.min(max, SplitRing.MAX_QUEUE_SIZE));
        SplitQueue q = d.setupQueue(0, size);
        d.readConfig();
        d.driverOk();
        Expect.equal("flush on a queue of " + size + " entries (QueueNumMax " + max + ")", Blk.S_OK,
                d.flush().status());
        Expect.equal("used idx of that queue", 1, q.deviceUsedIdx());
        if (!d.offered(FeatureBit.BLK_RO)) {
            byte[] data = SuiteData.pattern(Blk.SECTOR_SIZE, 61);
            Expect.equal("write on that queue", Blk.S_OK, d.write(61, data).status());
            Expect.that(Arrays.equals(data, d.read(61, data.length).in()), "read back on that queue",
                    "different bytes");
        }
    }
}
