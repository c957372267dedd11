package org.virtiotck.tck.suites;

import static org.virtiotck.spec.MmioRegister.*;

import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/** Identification registers and the feature offer as a whole (§4.2.2, §2.2, §6). */
@VirtioSuite("mmio")
class IdentificationSuite {

    /** Bits no spec version defines for a block device over MMIO: offering them can never be honoured. */
    static final long UNDEFINED_FOR_BLK_OVER_MMIO = bits(18, 19, 20, 21, 22, 23, 25, 26, 31)
            | (-1L << 42);

    private static long bits(int... b) {
        return BlkDriver.mask(b);
    }

    @Test
    @Verifies({"mmio.dev.1", "mmio-desc.dev.1"})
    void magicValueReadsVirtInLittleEndian(Tck tck) {
        Expect.equal("MagicValue", MAGIC, tck.driver().mmio().read(MAGIC_VALUE) & 0xffffffffL);
    }

    @Test
    @Verifies("mmio.dev.2")
    void modernDeviceReportsVersionTwo(Tck tck) {
        // A target that declares its transport is held to it; otherwise Version 1 means legacy and is skipped.
        String declared = tck.info().details().getOrDefault("transport", "");
        if (!declared.startsWith("modern")) {
            tck.assumeModern();
        }
        Expect.equal("Version", VERSION_MODERN, tck.driver().mmio().read(VERSION));
    }

    @Test
    @Verifies("blk-desc.dev.1")
    void deviceIdIsTwoForBlock(Tck tck) {
        Expect.equal("DeviceID", Blk.DEVICE_ID, tck.driver().mmio().read(DEVICE_ID));
    }

    @Test
    @Verifies("reserved.dev.1")
    void modernDeviceOffersVersion1(Tck tck) {
        tck.assumeModern();
        Expect.that(tck.offers(FeatureBit.VERSION_1), "VIRTIO_F_VERSION_1 (bit 32) offered",
                "offered: " + FeatureBit.describe(tck.offeredFeatures()));
    }

    @Test
    @Verifies("mmio.dev.14")
    void adminVirtqueueIsNotOffered(Tck tck) {
        Expect.that(!tck.offers(FeatureBit.ADMIN_VQ), "VIRTIO_F_ADMIN_VQ (bit 41) not offered on MMIO",
                "offered: " + FeatureBit.describe(tck.offeredFeatures()));
    }

    @Test
    @Verifies("reserved.dev.10")
    void srIovIsNotOffered(Tck tck) {
        Expect.that(!tck.offers(FeatureBit.SR_IOV), "VIRTIO_F_SR_IOV (bit 37) not offered on MMIO",
                "offered: " + FeatureBit.describe(tck.offeredFeatures()));
    }

    @Test
    @Verifies("features.dev.4")
    void noUndefinedFeatureBitIsOffered(Tck tck) {
        long bogus = tck.offeredFeatures() & UNDEFINED_FOR_BLK_OVER_MMIO;
        Expect.that(bogus == 0, "no undefined or reserved feature bits offered",
                "offered undefined bits: " + FeatureBit.describe(bogus));
    }

    @Test
    @Verifies("mmio-desc.dev.2")
    void deviceFeaturesFollowTheSelector(Tck tck) {
        BlkDriver d = tck.driver();
        d.identify();
        d.reset();
        d.addStatus(DeviceStatus.ACKNOWLEDGE);
        d.addStatus(DeviceStatus.DRIVER);
        long both = d.readDeviceFeatures();
        var mmio = d.mmio();
        mmio.write(DEVICE_FEATURES_SEL, 0);
        long low = mmio.read(DEVICE_FEATURES) & 0xffffffffL;
        if (!d.legacy()) {
            mmio.write(DEVICE_FEATURES_SEL, 1);
            long high = mmio.read(DEVICE_FEATURES) & 0xffffffffL;
            Expect.equal("DeviceFeatures with DeviceFeaturesSel=1", both >>> 32, high);
            // Selector 2 names bits 64..95, which no device defines.
            mmio.write(DEVICE_FEATURES_SEL, 2);
            Expect.equal("DeviceFeatures with DeviceFeaturesSel=2", 0, mmio.read(DEVICE_FEATURES) & 0xffffffffL);
            // A modern device offers VERSION_1, bit 32: bit 0 of the selector-1 word, never of the selector-0 word.
            // An empty offer shows nothing about the selector (its missing VERSION_1 is reserved.dev.1's finding).
            if (both != 0) {
                Expect.that((high & 1) == 1, "VERSION_1 (bit 0) in the word of selector 1",
                        "0x" + Long.toHexString(high));
            }
        }
        Expect.equal("DeviceFeatures with DeviceFeaturesSel=0", both & 0xffffffffL, low);
    }

    @Test
    @Verifies({"mmio-desc.dev.4", "blk-desc.dev.2"})
    void queuesBeyondTheLastReportZeroMaximum(Tck tck) {
        // Initialization already read QueueNumMax > 0 for every request queue (it fails otherwise).
        BlkDriver d = tck.ready();
        int queues = d.queueCount();
        d.mmio().write(QUEUE_SEL, queues);
        Expect.equal("QueueNumMax of queue " + queues + " (one past the last request queue)", 0,
                d.mmio().read(QUEUE_NUM_MAX));
    }

    @Test
    @Verifies("mmio-desc.dev.8")
    void sharedMemoryRegionsAnswerNoRegion(Tck tck) {
        tck.assumeModern();
        var mmio = tck.driver().mmio();
        for (int id : new int[] {0, 1, 255}) {
            mmio.write(SHM_SEL, id);
            long len = (mmio.read(SHM_LEN_HIGH) & 0xffffffffL) << 32 | (mmio.read(SHM_LEN_LOW) & 0xffffffffL);
            long base = (mmio.read(SHM_BASE_HIGH) & 0xffffffffL) << 32 | (mmio.read(SHM_BASE_LOW) & 0xffffffffL);
            Expect.equal("SHMLen for SHMSel=" + id, -1L, len);
            Expect.equal("SHMBase for SHMSel=" + id, -1L, base);
        }
    }
}
