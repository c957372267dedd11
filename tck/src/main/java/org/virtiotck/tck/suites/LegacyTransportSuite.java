package org.virtiotck.tck.suites;

import static org.virtiotck.spec.DeviceStatus.ACKNOWLEDGE;
import static org.virtiotck.spec.DeviceStatus.DEVICE_NEEDS_RESET;
import static org.virtiotck.spec.DeviceStatus.DRIVER;
import static org.virtiotck.spec.DeviceStatus.DRIVER_OK;
import static org.virtiotck.spec.DeviceStatus.FAILED;
import static org.virtiotck.spec.DeviceStatus.FEATURES_OK;
import static org.virtiotck.spec.MmioRegister.DEVICE_FEATURES;
import static org.virtiotck.spec.MmioRegister.DEVICE_FEATURES_SEL;
import static org.virtiotck.spec.MmioRegister.GUEST_PAGE_SIZE;
import static org.virtiotck.spec.MmioRegister.QUEUE_ALIGN;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;
import static org.virtiotck.spec.MmioRegister.QUEUE_NUM;
import static org.virtiotck.spec.MmioRegister.QUEUE_NUM_MAX;
import static org.virtiotck.spec.MmioRegister.QUEUE_PFN;
import static org.virtiotck.spec.MmioRegister.QUEUE_SEL;
import static org.virtiotck.spec.MmioRegister.VERSION;
import static org.virtiotck.spec.MmioRegister.VERSION_LEGACY;

import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.virtiotck.queue.RingLayout;
import org.virtiotck.queue.UsedElem;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.driver.CompletionTimeout;
import org.virtiotck.tck.driver.BlkRequest;
import org.virtiotck.tck.driver.Completion;
import org.virtiotck.tck.driver.GuestRam;
import org.virtiotck.tck.driver.SplitQueue;
import org.virtiotck.tck.junit.ConformanceFailure;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/**
 * The legacy (Version 1) virtio-mmio interface (§4.2.4) and the legacy rules a transitional device follows
 * through it (§3.1.2, §6.3, §5.2.5). Every test needs a legacy target and is skipped on a modern one.
 *
 * <p>Queues are set up with the legacy layout of §2.7.2: one physically contiguous area at
 * QueuePFN × GuestPageSize holding the descriptor table and the available ring, and the used ring at the next
 * QueueAlign boundary. Besides the careful 4096/4096 layout, the tests place queues with other page sizes and
 * smaller alignments to see that the device really computes the addresses from the registers.
 */
@VirtioSuite("legacy-transport")
class LegacyTransportSuite {

    // ------------------------------------------------------------------ register layout

    @Test
    @Verifies("mmio-legacy.dev.1")
    void versionReadsOneAndTheQueuePfnLayoutServesRequests(Tck tck) {
        tck.assumeLegacy();
        BlkDriver d = tck.driver();
        Expect.equal("Version", VERSION_LEGACY, d.mmio().read(VERSION));
        BlkDriver.Init init = d.initialize(-1L);
        Expect.that(init.ok(), "careful legacy initialization (GuestPageSize, QueueAlign, QueuePFN) succeeds",
                String.valueOf(init.problem()));
        SplitQueue q = d.queue(0);
        d.mmio().write(QUEUE_SEL, 0);
        Expect.equal("QueuePFN of queue 0 after setup", q.layout().desc() / BlkDriver.LEGACY_PAGE_SIZE,
                d.mmio().read(QUEUE_PFN) & 0xffffffffL);
        roundTripCareful(d, 16);
    }

    @Test
    @Verifies("mmio-legacy.dev.2")
    void deviceFindsTheQueueAtQueuePfnTimesGuestPageSize(Tck tck) {
        tck.assumeLegacy();
        // 4096-byte pages with the queue a few pages into RAM, then 64 KiB pages.
        for (int pageSize : new int[] {4096, 65536}) {
            BlkDriver d = startLegacy(tck, pageSize);
            d.ram().alloc(3L * pageSize + 512, 1); // keep the queue off the first page of the window
            SplitQueue q = setupQueue(d, 0, pageSize, BlkDriver.LEGACY_ALIGN);
            d.driverOk();
            long pfn = q.layout().desc() / pageSize;
            String layout = "GuestPageSize " + pageSize + ", QueuePFN 0x" + Long.toHexString(pfn);
            roundTrip(d, q, 24, layout, BlkDriver.LEGACY_ALIGN, 0);
        }
    }

    @Test
    @Verifies({"mmio-legacy.dev.3", "split-legacy.dev.1"})
    void deviceFindsTheUsedRingAtTheQueueAlignBoundary(Tck tck) {
        tck.assumeLegacy();
        for (int align : new int[] {4096, 128, 64}) {
            BlkDriver d = startLegacy(tck, BlkDriver.LEGACY_PAGE_SIZE);
            SplitQueue q = setupQueue(d, 0, BlkDriver.LEGACY_PAGE_SIZE, align);
            // A zeroed guard after the queue, up to where a device that assumed 4096 would put the used ring.
            long guard = RingLayout.legacyBytes(q.size(), BlkDriver.LEGACY_ALIGN)
                    - RingLayout.legacyBytes(q.size(), align);
            if (guard > 0) {
                d.ram().alloc(guard, 1);
            }
            d.driverOk();
            String layout = "QueueAlign " + align + ", used ring at queue base + 0x"
                    + Long.toHexString(q.layout().used() - q.layout().desc());
            roundTrip(d, q, 32, layout, align, align == BlkDriver.LEGACY_ALIGN ? 0 : BlkDriver.LEGACY_ALIGN);
        }
    }

    /**
     * §2.7.2's legacy layout counts used_event in the available ring (6 + 2 &times; size bytes) before it pads to
     * QueueAlign. With the 4096-byte alignments above the used ring lands on the same page boundary either way; with
     * QueueAlign 4 and 8 entries it starts at queue base + 0x98, after used_event, and not at 0x94 (where a device
     * that leaves used_event out of the available ring would put it, on top of that field).
     */
    @Test
    @Verifies({"mmio-legacy.dev.3", "split-legacy.dev.1"})
    void theUsedRingFollowsUsedEventWithASmallQueueAlign(Tck tck) {
        tck.assumeLegacy();
        BlkDriver d = startLegacy(tck, BlkDriver.LEGACY_PAGE_SIZE);
        SplitQueue q = setupQueue(d, 0, BlkDriver.LEGACY_PAGE_SIZE, 4, 8);
        d.driverOk();
        String layout = "QueueAlign 4, " + q.size() + " entries, used ring at queue base + 0x"
                + Long.toHexString(q.layout().used() - q.layout().desc());
        roundTrip(d, q, 64, layout, 4, 0);
    }

    @Test
    @Verifies("mmio-legacy.dev.4")
    void queuePfnReadsBackTheActivePageAndZeroOnceTheQueueIsStopped(Tck tck) {
        tck.assumeLegacy();
        BlkDriver d = startLegacy(tck, BlkDriver.LEGACY_PAGE_SIZE);
        d.mmio().write(QUEUE_SEL, 0);
        Expect.equal("QueuePFN of queue 0 before it is set up", 0, d.mmio().read(QUEUE_PFN));
        SplitQueue q = setupQueue(d, 0, BlkDriver.LEGACY_PAGE_SIZE, BlkDriver.LEGACY_ALIGN);
        long pfn = q.layout().desc() / BlkDriver.LEGACY_PAGE_SIZE;
        d.mmio().write(QUEUE_SEL, 0);
        Expect.equal("QueuePFN read back after writing it", pfn, d.mmio().read(QUEUE_PFN) & 0xffffffffL);
        d.driverOk();
        roundTrip(d, q, 40, "careful layout", BlkDriver.LEGACY_ALIGN, 0);
        d.mmio().write(QUEUE_SEL, 0);
        Expect.equal("QueuePFN while the queue is in use", pfn, d.mmio().read(QUEUE_PFN) & 0xffffffffL);
        // The driver stops using the queue by writing 0.
        d.mmio().write(QUEUE_PFN, 0);
        Expect.equal("QueuePFN after the driver wrote 0 to stop using the queue", 0, d.mmio().read(QUEUE_PFN));
    }

    /**
     * §4.2.4 gives QueuePFN 0 one meaning: the driver stops using the selected queue. Only a write of 0 to Status
     * resets the device (§4.2.2, the Status row); stopping a queue is not that, so the status bits the driver set
     * must still read back afterwards.
     */
    @Test
    @Verifies("mmio-desc.dev.7")
    void stoppingQueueZeroLeavesStatusAsTheDriverSetIt(Tck tck) {
        tck.assumeLegacy();
        BlkDriver d = tck.ready();
        roundTripCareful(d, 56);
        int before = d.mmio().status();
        d.mmio().write(QUEUE_SEL, 0);
        d.mmio().write(QUEUE_PFN, 0);
        int after = d.mmio().status();
        Expect.that(after == before, "Status " + DeviceStatus.describe(before)
                + " after the driver stopped using queue 0 (QueuePFN written 0; Status never written 0)",
                "Status " + DeviceStatus.describe(after));
    }

    @Test
    @Verifies("mmio-legacy.dev.5")
    void resetZeroesQueuePfnOfEveryQueue(Tck tck) {
        tck.assumeLegacy();
        BlkDriver d = tck.ready(); // every queue (num_queues with MQ) set up the careful way
        int count = d.queueCount();
        for (int i = 0; i < count; i++) {
            d.mmio().write(QUEUE_SEL, i);
            Expect.that(d.mmio().read(QUEUE_PFN) != 0, "QueuePFN of queue " + i + " non-zero while in use", "0");
        }
        roundTripCareful(d, 48);
        Expect.that(d.reset(), "Status reads 0 after writing 0 to it", "Status = "
                + DeviceStatus.describe(d.mmio().status()));
        Expect.equal("Status after reset", 0, d.mmio().status());
        for (int i = 0; i < count; i++) {
            d.mmio().write(QUEUE_SEL, i);
            Expect.equal("QueuePFN of queue " + i + " after reset", 0, d.mmio().read(QUEUE_PFN));
        }
    }

    // ------------------------------------------------------------------ legacy initialization

    @Test
    @Verifies("init-legacy.dev.2")
    void requestsAreServedBeforeDriverOk(Tck tck) {
        tck.assumeLegacy();
        BlkDriver d = startLegacy(tck, BlkDriver.LEGACY_PAGE_SIZE);
        if (d.setupQueue(0, 0) == null) {
            throw new AssertionError("queue 0 reports QueueNumMax 0");
        }
        Expect.equal("DRIVER_OK not set yet", 0, d.mmio().status() & DRIVER_OK);
        roundTripCareful(d, 56); // legacy drivers use the device before DRIVER_OK (§3.1.2)
        d.driverOk();
        roundTripCareful(d, 64);
    }

    @Test
    @Verifies("features-legacy.dev.1")
    void driverThatNeverAcknowledgesVersionOneIsServedTheLegacyWay(Tck tck) {
        tck.assumeLegacy();
        BlkDriver d = startLegacy(tck, BlkDriver.LEGACY_PAGE_SIZE);
        Expect.that(!FeatureBit.has(d.negotiated(), FeatureBit.VERSION_1), "driver features without VERSION_1",
                FeatureBit.describe(d.negotiated()));
        // No FEATURES_OK step: the device treats the driver as legacy and works without it.
        if (d.setupQueue(0, 0) == null) {
            throw new AssertionError("queue 0 reports QueueNumMax 0");
        }
        d.driverOk();
        int status = d.mmio().status();
        Expect.equal("Status after ACKNOWLEDGE, DRIVER, DRIVER_OK without FEATURES_OK",
                DeviceStatus.describe(ACKNOWLEDGE | DRIVER | DRIVER_OK),
                DeviceStatus.describe(status & (ACKNOWLEDGE | DRIVER | DRIVER_OK | FEATURES_OK | FAILED
                        | DEVICE_NEEDS_RESET)));
        roundTripCareful(d, 72);
    }

    @Test
    @Verifies({"blk-legacy.dev.2", "blk-legacy.dev.3", "init-legacy.dev.1"})
    void onlyDriverOkWithoutConfigWceMayChangeTheCacheMode(Tck tck) {
        tck.assumeLegacy();
        tck.assumeOffered(FeatureBit.BLK_CONFIG_WCE);
        for (int mode : new int[] {1, 0}) {
            BlkDriver d = tck.driver();
            Expect.that(d.reset(), "Status reads 0 after reset", "it did not");
            d.addStatus(ACKNOWLEDGE);
            // A legacy driver may set the mode before DRIVER (blk-legacy.drv.2), and the device accepts config
            // writes before the feature bits are written (init-legacy.dev.1).
            d.mmio().writeConfig8(Blk.CFG_WRITEBACK, mode);
            expectCacheMode(d, mode, "the driver wrote it before DRIVER and before any feature bits",
                    "init-legacy.dev.1");
            d.addStatus(DRIVER);
            expectCacheMode(d, mode, "setting DRIVER", "blk-legacy.dev.2: only DRIVER_OK without CONFIG_WCE may change it");
            long offered = d.readDeviceFeatures();
            long chosen = d.choose(~FeatureBit.mask(FeatureBit.BLK_MQ)) | FeatureBit.mask(FeatureBit.BLK_CONFIG_WCE);
            // Feature words written and rewritten before the final choice, which accepts CONFIG_WCE.
            d.writeDriverFeatures(0);
            expectCacheMode(d, mode, "driver features 0 written", "blk-legacy.dev.3");
            d.writeDriverFeatures(offered & BlkDriver.mask(FeatureBit.BLK_FLUSH, FeatureBit.ANY_LAYOUT));
            expectCacheMode(d, mode, "driver features FLUSH without CONFIG_WCE written", "blk-legacy.dev.3");
            d.writeDriverFeatures(chosen);
            expectCacheMode(d, mode, "driver features with CONFIG_WCE written", "blk-legacy.dev.3");
            d.mmio().write(GUEST_PAGE_SIZE, BlkDriver.LEGACY_PAGE_SIZE);
            if (d.setupQueue(0, 0) == null) {
                throw new AssertionError("queue 0 reports QueueNumMax 0");
            }
            d.driverOk();
            expectCacheMode(d, mode, "DRIVER_OK set by a driver that accepted CONFIG_WCE", "blk-legacy.dev.2");
        }
    }

    private static void expectCacheMode(BlkDriver d, int mode, String after, String id) {
        Expect.equal("writeback after " + after + " (" + id + ")", mode, d.mmio().config8(Blk.CFG_WRITEBACK));
    }

    // ------------------------------------------------------------------ feature bits on the legacy interface

    @Test
    @Verifies({"mmio-desc.dev.2", "features.dev.4"})
    void hostFeaturesSelectorsBeyondTheFirstWordOfferNoUndefinedBits(Tck tck) {
        tck.assumeLegacy();
        BlkDriver d = tck.driver();
        d.beginOrFail();
        long low = d.readDeviceFeatures();
        // Selectors 2 and 3 name bits 64 to 127, which no device type defines; a device that ignores the selector
        // offers its first word there again.
        for (int sel = 2; sel <= 3; sel++) {
            d.mmio().write(DEVICE_FEATURES_SEL, sel);
            Expect.equal("HostFeatures with HostFeaturesSel=" + sel + " (bits " + 32 * sel + " to " + (32 * sel + 31)
                    + "; word 0 reads 0x" + Long.toHexString(low) + ")", 0, d.mmio().read(DEVICE_FEATURES));
        }
        d.mmio().write(DEVICE_FEATURES_SEL, 0);
        Expect.equal("HostFeatures with HostFeaturesSel=0 again", low, d.mmio().read(DEVICE_FEATURES) & 0xffffffffL);
    }

    @Test
    @Verifies("reserved-legacy.dev.3")
    void anyLayoutIsOffered(Tck tck) {
        tck.assumeLegacy();
        // §6.3 binds transitional devices: ones that also serve VirtIO 1.x drivers. A Version-1 block device that
        // offers VIRTIO_BLK_F_SCSI and no ANY_LAYOUT presents itself as a pre-1.0 legacy device: SCSI packet
        // commands need the fixed legacy framing (§5.2.6.3-5.2.6.4), and the legacy-only QEMU device makes
        // exactly this choice. Such a device is not bound by the rule, so the check is skipped, not failed.
        Assumptions.assumeTrue(!tck.offers(FeatureBit.BLK_SCSI) || tck.offers(FeatureBit.ANY_LAYOUT),
                "device offers VIRTIO_BLK_F_SCSI without VIRTIO_F_ANY_LAYOUT: a legacy-only (not transitional) block"
                        + " device, to which reserved-legacy.dev.3 (§6.3, transitional devices) does not apply");
        Expect.that(tck.offers(FeatureBit.ANY_LAYOUT), "VIRTIO_F_ANY_LAYOUT (27) offered on the legacy interface",
                "offered " + FeatureBit.describe(tck.offeredFeatures()));
    }

    @Test
    @Verifies("reserved-legacy.dev.4")
    void featureBitThirtyIsNotOffered(Tck tck) {
        expectNotOfferedOnLegacy(tck, FeatureBit.UNUSED_30, "feature bit 30 (UNUSED) not offered, so never negotiated");
    }

    @Test
    @Verifies("blk.dev.6")
    void zonedIsNeverOfferedOnTheLegacyInterface(Tck tck) {
        expectNotOfferedOnLegacy(tck, FeatureBit.BLK_ZONED, "VIRTIO_BLK_F_ZONED (17) not offered by a legacy device");
    }

    // ------------------------------------------------------------------ helpers

    private static void expectNotOfferedOnLegacy(Tck tck, int bit, String expected) {
        tck.assumeLegacy();
        Expect.that(!tck.offers(bit), expected, "offered " + FeatureBit.describe(tck.offeredFeatures()));
    }

    /**
     * The careful legacy initialization up to queue setup: reset, ACKNOWLEDGE, DRIVER, features (what the
     * careful driver supports, without MQ so one queue is enough; no FEATURES_OK on the legacy interface),
     * then GuestPageSize.
     */
    private static BlkDriver startLegacy(Tck tck, int pageSize) {
        BlkDriver d = tck.driver();
        d.beginOrFail();
        d.writeDriverFeatures(d.choose(~FeatureBit.mask(FeatureBit.BLK_MQ)));
        d.mmio().write(GUEST_PAGE_SIZE, pageSize);
        return d;
    }

    /**
     * Legacy queue setup in the order of §4.2.4: select, check QueuePFN is 0, read QueueNumMax, QueueNum, then
     * QueueAlign and QueuePFN for a zeroed area laid out with {@code pageSize} and {@code align}.
     */
    private static SplitQueue setupQueue(BlkDriver d, int index, int pageSize, int align) {
        return setupQueue(d, index, pageSize, align, 256);
    }

    /** {@link #setupQueue(BlkDriver, int, int, int)} with at most {@code maxSize} entries. */
    private static SplitQueue setupQueue(BlkDriver d, int index, int pageSize, int align, int maxSize) {
        d.mmio().write(QUEUE_SEL, index);
        Expect.equal("QueuePFN of queue " + index + " before setup", 0, d.mmio().read(QUEUE_PFN));
        int max = d.mmio().read(QUEUE_NUM_MAX);
        if (max == 0) {
            throw new AssertionError("queue " + index + " reports QueueNumMax 0");
        }
        int size = Math.min(max, maxSize);
        d.mmio().write(QUEUE_NUM, size);
        SplitQueue q = SplitQueue.allocateLegacy(d.ram(), index, size, pageSize, align);
        d.mmio().write(QUEUE_ALIGN, align);
        d.mmio().write(QUEUE_PFN, (int) (q.layout().desc() / pageSize));
        return q;
    }

    /** A WRITE then READ of two sectors through the careful driver's queue 0. */
    private static void roundTripCareful(BlkDriver d, long sector) {
        byte[] data = SuiteData.pattern(2 * Blk.SECTOR_SIZE, sector);
        boolean ro = d.offered(FeatureBit.BLK_RO);
        if (!ro) {
            Completion w = d.write(sector, data);
            Expect.equal("status of a WRITE of sector " + sector, Blk.S_OK, w.status());
        }
        Completion r = d.read(sector, data.length);
        Expect.equal("status of a READ of sector " + sector, Blk.S_OK, r.status());
        if (!ro) {
            Expect.noCorruption(Arrays.equals(data, r.in()), "READ returns what was written to sector " + sector,
                    "different data");
        }
    }

    /**
     * A WRITE then READ on a queue this suite set up by hand with QueueAlign {@code align} (the careful driver does
     * not know it). When the device never answers, the ring positions of two likely mistakes are inspected to say
     * what went wrong: QueueAlign ignored for {@code wrongAlign} (when non-zero), and used_event left out of the
     * available ring.
     */
    private static void roundTrip(BlkDriver d, SplitQueue q, long sector, String layout, int align,
                                  int wrongAlign) {
        byte[] data = SuiteData.pattern(2 * Blk.SECTOR_SIZE, sector);
        boolean ro = d.offered(FeatureBit.BLK_RO);
        if (!ro) {
            Transfer w = transfer(d, q, BlkRequest.write(sector, data), layout, align, wrongAlign);
            Expect.equal("status of a WRITE with " + layout, Blk.S_OK, w.status);
        }
        Transfer r = transfer(d, q, BlkRequest.read(sector, data.length), layout, align, wrongAlign);
        Expect.equal("status of a READ with " + layout, Blk.S_OK, r.status);
        if (!ro) {
            Expect.noCorruption(Arrays.equals(data, r.in), "READ with " + layout + " returns what was written",
                    "different data");
        }
    }

    private record Transfer(int status, byte[] in) {}

    /** Where a device that leaves used_event out of the available ring puts the used ring (QueueAlign padding). */
    private static long usedRingWithoutUsedEvent(SplitQueue q, long align) {
        long availEnd = q.layout().avail() + 4 + 2L * q.size();
        return (availEnd + align - 1) / align * align;
    }

    private static Transfer transfer(BlkDriver d, SplitQueue q, BlkRequest req, String layout, int align,
                                     int wrongAlign) {
        GuestRam ram = d.ram();
        BlkDriver.Pending p = d.build(q, req);
        int head = p.head();
        if (d.negotiated(FeatureBit.EVENT_IDX)) {
            q.setUsedEvent(q.lastUsedIdx());
        }
        q.publish(head);
        d.mmio().write(QUEUE_NOTIFY, q.index());
        UsedElem e;
        try {
            e = d.awaitUsed(q, true);
        } catch (CompletionTimeout t) {
            if (wrongAlign != 0) {
                RingLayout wrong = RingLayout.legacy(q.size(), q.layout().desc(), wrongAlign);
                long elsewhere = wrong.used();
                int idxThere = ram.le16(wrong.usedIdx());
                if (idxThere != 0) {
                    throw new ConformanceFailure("the used ring at the QueueAlign boundary, queue base + 0x"
                            + Long.toHexString(q.layout().used() - q.layout().desc()) + " (" + layout + ")",
                            "no used entry there, but used idx " + idxThere + " at queue base + 0x"
                                    + Long.toHexString(elsewhere - q.layout().desc()) + ", the " + wrongAlign
                                    + "-byte boundary: QueueAlign was ignored", false);
                }
            }
            long early = usedRingWithoutUsedEvent(q, align);
            int idxEarly = early != q.layout().used() ? ram.le16(early + 2) : 0;
            if (idxEarly != 0) {
                throw new ConformanceFailure("a used entry for " + req + " on the queue at " + layout,
                        "none there, but used idx " + idxEarly + " at queue base + 0x"
                                + Long.toHexString(early + 2 - q.layout().desc()) + ": the used ring was placed as if"
                                + " the available ring ended before used_event", false);
            }
            throw new ConformanceFailure("a used entry for " + req + " on the queue at " + layout,
                    "none within the completion budget (" + t.getMessage() + ")", false);
        }
        Expect.equal("used element id (" + layout + ")", head, e.id());
        byte[] data = ram.read(p.inGpa(), req.inLength());
        int status = ram.u8(p.statusGpa());
        ram.resetTo(p.scratchMark());
        return new Transfer(status, data);
    }
}
