package org.virtiotck.tck.suites;

import static org.virtiotck.spec.MmioRegister.CONFIG;
import static org.virtiotck.spec.MmioRegister.INT_CONFIG_CHANGE;

import java.util.Arrays;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkConfig;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;
import org.virtiotck.tck.spi.HostControl;

/** The device configuration space and its generation counter (§2.5, §4.2.2, §5.2.4). */
@Requires({Prerequisite.FEATURES_NEGOTIATE})
@VirtioSuite("config")
class ConfigSpaceSuite {
    private static final int SECTOR = Blk.SECTOR_SIZE;

    @Test
    @Verifies("config.dev.1")
    void everyFieldIsReadableBeforeFeaturesOk(Tck tck) {
        BlkDriver d = tck.driver();
        d.begin();
        BlkConfig early = d.readConfig(); // writeback is left out before FEATURES_OK (blk.drv.4)
        d.reset();
        d.initializeOrFail();
        BlkConfig late = d.readConfig();
        Expect.equal("capacity before FEATURES_OK", late.capacity(), early.capacity());
        Expect.equal("seg_max before FEATURES_OK", late.segMax(), early.segMax());
        Expect.equal("blk_size before FEATURES_OK", late.blkSize(), early.blkSize());
        Expect.equal("num_queues before FEATURES_OK", late.numQueues(), early.numQueues());
        Expect.equal("max_discard_sectors before FEATURES_OK", late.maxDiscardSectors(), early.maxDiscardSectors());
    }

    @Test
    @Verifies("mmio-desc.dev.10")
    @BreaksDriverRules("reads 32-bit fields in narrower pieces (mmio.drv.5) to prove byte-granular access works")
    void configurationAllowsByteGranularAccess(Tck tck) {
        BlkDriver d = tck.ready();
        var mmio = d.mmio();
        long capacity = d.readConfig().capacity();
        long bytewise = 0;
        for (int i = 7; i >= 0; i--) {
            bytewise = (bytewise << 8) | (mmio.readRaw(CONFIG + Blk.CFG_CAPACITY + i, 1) & 0xff);
        }
        Expect.equal("capacity read byte by byte", capacity, bytewise);
        long halves = 0;
        for (int i = 3; i >= 0; i--) {
            halves = (halves << 16) | (mmio.readRaw(CONFIG + Blk.CFG_CAPACITY + 2 * i, 2) & 0xffff);
        }
        Expect.equal("capacity read in 16-bit pieces", capacity, halves);
        int segMax = mmio.config32(Blk.CFG_SEG_MAX);
        int segBytes = 0;
        for (int i = 3; i >= 0; i--) {
            segBytes = (segBytes << 8) | (int) (mmio.readRaw(CONFIG + Blk.CFG_SEG_MAX + i, 1) & 0xff);
        }
        Expect.equal("seg_max read byte by byte", segMax, segBytes);
    }

    @Test
    @Verifies("mmio-desc.dev.9")
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void generationIsStableWhileNothingChanges(Tck tck) {
        tck.assumeModern();
        BlkDriver d = tck.ready();
        int g1 = d.mmio().configGeneration();
        d.readConfig();
        d.flush();
        int g2 = d.mmio().configGeneration();
        Expect.equal("ConfigGeneration across reads with no change", g1, g2);
    }

    @Test
    @Verifies({"mmio.dev.7", "blk.dev.20"})
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void capacityChangeBumpsGenerationAndNotifies(Tck tck) {
        tck.assumeModern();
        HostControl host = tck.assumeResize();
        BlkDriver d = tck.ready();
        d.clearSeenInterrupts();
        long before = d.readConfig().capacity();
        int g1 = d.mmio().configGeneration();
        host.resizeCapacity(before * 2);
        int g2 = d.mmio().configGeneration();
        Expect.that(g1 != g2, "ConfigGeneration changes when capacity changes", "stayed " + g1);
        Expect.equal("capacity after resize", before * 2, d.readConfig().capacity());
        int isr = Waits.awaitInterruptStatus(d, INT_CONFIG_CHANGE) | d.seenInterrupts();
        Expect.that((isr & INT_CONFIG_CHANGE) != 0, "configuration change notification after a resize",
                "InterruptStatus = 0x" + Integer.toHexString(isr));
        // The new sectors are usable.
        Expect.equal("write at the old capacity", Blk.S_OK, d.write(before, new byte[512]).status());
    }

    @Test
    @Verifies({"blk-desc.dev.3", "blk-desc.dev.9"})
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void aCapacityAboveTwoToTheThirtyTwoSectorsIsWholeAndAddressable(Tck tck) {
        HostControl host = tck.assumeResize();
        BlkDriver d = tck.ready();
        long before = d.readConfig().capacity();
        // 2 TiB + 4 KiB: bit 32 of the sector count is set, so a device that keeps capacity or sector numbers in
        // 32 bits publishes 8 sectors, or writes sector 2^32 + 7 onto sector 7. The disk is grown, not written: the
        // two sectors below are all the test touches, and it shrinks the disk back afterwards.
        long big = (1L << 32) + 8;
        try {
            host.resizeCapacity(big);
        } catch (RuntimeException e) { // e.g. a zoned layout or a backing store that cannot hold that size
            Assumptions.abort("the host cannot grow this disk to 2^32 + 8 sectors: " + e.getMessage());
        }
        try {
            Expect.equal("capacity after the host grew the disk to 2^32 + 8 sectors", big, d.readConfig().capacity());
            byte[] low = SuiteData.pattern(SECTOR, 41);
            byte[] high = SuiteData.pattern(SECTOR, 42);
            Expect.equal("write to sector 7 status", Blk.S_OK, d.write(7, low).status());
            Expect.equal("write to sector 2^32 + 7 status", Blk.S_OK, d.write(big - 1, high).status());
            Expect.noCorruption(Arrays.equals(low, d.read(7, SECTOR).in()), "sector 7 keeps its data after a write "
                    + "to sector 2^32 + 7", "it reads something else (sector numbers cut to 32 bits?)");
            Expect.noCorruption(Arrays.equals(high, d.read(big - 1, SECTOR).in()), "sector 2^32 + 7 reads back what "
                    + "was written", "it reads something else");
        } finally {
            host.resizeCapacity(before);
        }
    }

    @Test
    @Verifies("blk.dev.4")
    void paddingBytesReadZero(Tck tck) {
        BlkDriver d = tck.ready();
        Expect.equal("unused0", 0, d.mmio().config8(Blk.CFG_UNUSED0));
        // unused1 pads write_zeroes_may_unmap up to the secure-erase fields; it only lies inside the device's
        // configuration when those fields do, so a device without SECURE_ERASE may end its space before it.
        if (d.offered(FeatureBit.BLK_SECURE_ERASE)) {
            for (int i = 0; i < 3; i++) {
                Expect.equal("unused1[" + i + "]", 0, d.mmio().config8(Blk.CFG_UNUSED1 + i));
            }
        }
    }

    @Test
    @Verifies({"blk.dev.7", "blk.dev.18"})
    void zonedFieldsAreZeroWithoutZoned(Tck tck) {
        // The rule is about a device that offers ZONED and is declined; without the offer the fields do not exist.
        tck.assumeOffered(FeatureBit.BLK_ZONED);
        BlkDriver d = tck.driver();
        BlkDriver.Init init = d.initialize(~FeatureBit.mask(FeatureBit.BLK_ZONED));
        Expect.that(init.ok(), "initialization without ZONED accepted", String.valueOf(init.problem()));
        var mmio = d.mmio();
        for (int off = Blk.CFG_ZONE_SECTORS; off < Blk.CFG_ZONED_MODEL; off += 4) {
            Expect.equal("zoned config field at 0x" + Integer.toHexString(off), 0, mmio.config32(off));
        }
        for (int off = Blk.CFG_ZONED_MODEL; off < Blk.CONFIG_SIZE; off++) {
            Expect.equal("zoned config byte at 0x" + Integer.toHexString(off), 0, mmio.config8(off));
        }
    }

    @Test
    @Verifies({"blk-desc.dev.3", "blk-desc.dev.5"})
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void capacityCountsFiveHundredTwelveByteSectors(Tck tck) {
        BlkDriver d = tck.ready();
        BlkConfig c = d.readConfig();
        long capacity = c.capacity();
        Expect.that(capacity > 0, "capacity > 0", "capacity = " + capacity);
        // Whatever blk_size says, the last addressable 512-byte sector is capacity - 1.
        byte[] data = SuiteData.pattern(512, 77);
        Expect.equal("write to sector capacity-1", Blk.S_OK, d.write(capacity - 1, data).status());
        var read = d.read(capacity - 1, 512);
        Expect.equal("read of sector capacity-1", Blk.S_OK, read.status());
        Expect.that(java.util.Arrays.equals(data, read.in()), "sector capacity-1 reads back what was written",
                "different bytes");
    }

    @Test
    @Verifies({"blk-desc.dev.2", "blk-desc.dev.4"})
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void numQueuesNamesTheUsableRequestQueues(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_MQ);
        BlkDriver d = tck.ready();
        int n = d.readConfig().numQueues();
        Expect.that(n >= 1, "num_queues >= 1 with MQ", "num_queues = " + n);
        Expect.equal("queues set up", n, d.queueCount());
        for (int q = 0; q < n; q++) {
            Expect.equal("flush on queue " + q, Blk.S_OK, d.submit(q, org.virtiotck.tck.driver.BlkRequest.flush()).status());
        }
    }

    @Test
    @Verifies("blk.dev.3")
    void writebackStartsAtZeroWithConfigWceButNoFlush(Tck tck) {
        tck.assumeModern();
        tck.assumeOffered(FeatureBit.BLK_CONFIG_WCE);
        BlkDriver d = tck.driver();
        BlkDriver.Init init = d.initialize(~FeatureBit.mask(FeatureBit.BLK_FLUSH));
        Expect.that(init.ok(), "CONFIG_WCE without FLUSH accepted", String.valueOf(init.problem()));
        Expect.equal("writeback", 0, d.readConfig().writeback());
    }

    @Test
    @Verifies("blk-desc.dev.6")
    void writebackIsZeroOrOneAndToggles(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_CONFIG_WCE, FeatureBit.BLK_FLUSH);
        BlkDriver d = tck.ready();
        int wb = d.readConfig().writeback();
        Expect.that(wb == 0 || wb == 1, "writeback is 0 or 1", "writeback = " + wb);
        d.mmio().writeConfig8(Blk.CFG_WRITEBACK, 1 - wb);
        Expect.equal("writeback after the driver toggled it", 1 - wb, d.readConfig().writeback());
        d.mmio().writeConfig8(Blk.CFG_WRITEBACK, wb);
        Expect.equal("writeback after the driver restored it", wb, d.readConfig().writeback());
    }
}
