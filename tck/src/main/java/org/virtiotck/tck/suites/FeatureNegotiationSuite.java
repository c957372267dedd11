package org.virtiotck.tck.suites;

import static org.virtiotck.spec.DeviceStatus.FEATURES_OK;
import static org.virtiotck.spec.MmioRegister.DRIVER_FEATURES;
import static org.virtiotck.spec.MmioRegister.DRIVER_FEATURES_SEL;

import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;
import org.virtiotck.tck.driver.BlkDriver;
import org.virtiotck.tck.junit.BreaksDriverRules;
import org.virtiotck.tck.junit.Expect;
import org.virtiotck.tck.junit.Prerequisite;
import org.virtiotck.tck.junit.Requires;
import org.virtiotck.tck.junit.Tck;
import org.virtiotck.tck.junit.Verifies;
import org.virtiotck.tck.junit.VirtioSuite;

/** Feature negotiation (§2.2, §3.1.1, §4.2.2, §5.2.3). */
@VirtioSuite("features")
class FeatureNegotiationSuite {

    /** Negotiation up to (not including) FEATURES_OK, with the driver's words written in the given order. */
    private static BlkDriver negotiateUpTo(Tck tck) {
        BlkDriver d = tck.driver();
        d.begin();
        return d;
    }

    @Test
    @Verifies("mmio-desc.dev.3")
    void driverFeaturesFollowTheSelectorHighWordFirst(Tck tck) {
        tck.assumeModern();
        BlkDriver d = negotiateUpTo(tck);
        long chosen = d.choose(-1L);
        d.writeDriverFeatures(chosen); // selector 1 then selector 0
        Expect.that(d.featuresOk(), "FEATURES_OK kept for " + FeatureBit.describe(chosen)
                + " written high word first", DeviceStatus.describe(d.mmio().status()));
    }

    @Test
    @Verifies("mmio-desc.dev.3")
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void driverFeaturesFollowTheSelectorLowWordFirst(Tck tck) {
        tck.assumeModern();
        BlkDriver d = negotiateUpTo(tck);
        long chosen = d.choose(-1L);
        // A device that ignores DriverFeaturesSel keeps only the last word written, losing VERSION_1 or the
        // low bits; writing the low word first makes that visible.
        d.mmio().write(DRIVER_FEATURES_SEL, 0);
        d.mmio().write(DRIVER_FEATURES, (int) chosen);
        d.mmio().write(DRIVER_FEATURES_SEL, 1);
        d.mmio().write(DRIVER_FEATURES, (int) (chosen >>> 32));
        Expect.that(d.featuresOk(), "FEATURES_OK kept for " + FeatureBit.describe(chosen)
                + " written low word first", DeviceStatus.describe(d.mmio().status()));
        // The negotiated set must behave as written: a request works.
        finishInit(d);
        Expect.equal("flush status", Blk.S_OK, d.flush().status());
    }

    private static void finishInit(BlkDriver d) {
        d.setupQueue(0, 0);
        d.driverOk();
    }

    @Test
    @Verifies("features.dev.3")
    @BreaksDriverRules("accepts a feature bit the device did not offer")
    void unofferedFeatureLeavesFeaturesOkClear(Tck tck) {
        tck.assumeModern();
        BlkDriver d = negotiateUpTo(tck);
        int bogus = firstUnoffered(d.deviceFeatures());
        long chosen = d.choose(-1L) | FeatureBit.mask(bogus);
        d.writeDriverFeatures(chosen);
        boolean kept = d.featuresOk();
        Expect.that(!kept, "FEATURES_OK left clear when the driver accepts unoffered "
                + FeatureBit.name(bogus), DeviceStatus.describe(d.mmio().status()));
    }

    /** A bit that is defined for block devices but not offered, else an undefined bit. */
    private static int firstUnoffered(long offered) {
        int[] candidates = {FeatureBit.BLK_RO, FeatureBit.BLK_ZONED, FeatureBit.BLK_LIFETIME, FeatureBit.IN_ORDER,
                FeatureBit.RING_PACKED, FeatureBit.NOTIFICATION_DATA, 20, 50};
        for (int c : candidates) {
            if (!FeatureBit.has(offered, c)) {
                return c;
            }
        }
        return 63;
    }

    @Test
    @Verifies("features.dev.2")
    @Requires({Prerequisite.REQUEST_COMPLETES})
    void theMinimalFeatureSetIsAccepted(Tck tck) {
        BlkDriver d = negotiateUpTo(tck);
        long minimal = d.choose(0);
        d.writeDriverFeatures(minimal);
        if (!d.legacy()) {
            Expect.that(d.featuresOk(), "FEATURES_OK kept for the minimal set " + FeatureBit.describe(minimal),
                    DeviceStatus.describe(d.mmio().status()));
        }
        finishInit(d);
        Expect.equal("write status with minimal features", Blk.S_OK, d.write(0, new byte[512]).status());
    }

    @Test
    @Verifies("features.dev.1")
    void offeredFeaturesBringTheirDependencies(Tck tck) {
        long offered = tck.offeredFeatures();
        if (!tck.legacy()) {
            long needVersion1 = BlkDriver.mask(FeatureBit.RING_RESET, FeatureBit.RING_PACKED, FeatureBit.IN_ORDER,
                    FeatureBit.ACCESS_PLATFORM, FeatureBit.NOTIFICATION_DATA, FeatureBit.BLK_ZONED);
            Expect.that((offered & needVersion1) == 0 || FeatureBit.has(offered, FeatureBit.VERSION_1),
                    "features that exist only for VERSION_1 devices come with VERSION_1",
                    FeatureBit.describe(offered));
        }
        Expect.that(!FeatureBit.has(offered, FeatureBit.BLK_CONFIG_WCE) || FeatureBit.has(offered, FeatureBit.BLK_FLUSH),
                "CONFIG_WCE only with FLUSH", FeatureBit.describe(offered));
    }

    @Test
    @Verifies("blk.dev.1")
    void flushIsOffered(Tck tck) {
        Expect.that(tck.offers(FeatureBit.BLK_FLUSH), "VIRTIO_BLK_F_FLUSH offered (a SHOULD)",
                FeatureBit.describe(tck.offeredFeatures()));
    }

    @Test
    @Verifies("blk.dev.2")
    void configWceComesWithFlush(Tck tck) {
        tck.assumeOffered(FeatureBit.BLK_CONFIG_WCE);
        Expect.that(tck.offers(FeatureBit.BLK_FLUSH), "VIRTIO_BLK_F_FLUSH offered with CONFIG_WCE",
                FeatureBit.describe(tck.offeredFeatures()));
    }

    @Test
    @Verifies("blk.dev.5")
    void zonedIsOfferedOnlyByZonedDevices(Tck tck) {
        if (!tck.offers(FeatureBit.BLK_ZONED)) {
            return; // not offered: nothing to check, the requirement holds
        }
        // Read the model before FEATURES_OK: once ZONED is declined, an HA device reports zeroes (blk.dev.7).
        BlkDriver d = negotiateUpTo(tck);
        int model = d.mmio().config8(Blk.CFG_ZONED_MODEL);
        d.reset();
        Expect.that(model != 0, "ZONED offered only with a zoned model (HM or HA)", "model NONE (0)");
    }

    @Test
    @Verifies("blk.dev.6")
    void legacyDeviceNeverOffersZoned(Tck tck) {
        tck.assumeLegacy();
        Expect.that(!tck.offers(FeatureBit.BLK_ZONED), "VIRTIO_BLK_F_ZONED not offered on a legacy device",
                FeatureBit.describe(tck.offeredFeatures()));
    }

    @Test
    @Verifies("features.dev.2")
    void everyOfferedFeatureCanBeDeclinedAlone(Tck tck) {
        tck.assumeModern();
        long offered = tck.offeredFeatures() & BlkDriver.SUPPORTED_FEATURES;
        for (int bit = 0; bit < 64; bit++) {
            if (bit == FeatureBit.VERSION_1 || !FeatureBit.has(offered, bit)) {
                continue;
            }
            long without = offered & ~FeatureBit.mask(bit);
            if (FeatureBit.has(without, FeatureBit.BLK_CONFIG_WCE) && !FeatureBit.has(without, FeatureBit.BLK_FLUSH)) {
                without &= ~FeatureBit.mask(FeatureBit.BLK_CONFIG_WCE);
            }
            BlkDriver d = negotiateUpTo(tck);
            d.writeDriverFeatures(d.choose(without));
            boolean kept = d.featuresOk();
            Expect.that(kept, "FEATURES_OK kept when the driver declines only " + FeatureBit.name(bit),
                    DeviceStatus.describe(d.mmio().status()));
        }
        BlkDriver d = tck.driver();
        d.reset();
    }

    @Test
    @Verifies("features.dev.3")
    void statusShowsFeaturesOkOnlyAfterTheDriverSetsIt(Tck tck) {
        tck.assumeModern();
        BlkDriver d = negotiateUpTo(tck);
        d.writeDriverFeatures(d.choose(-1L));
        Expect.equal("FEATURES_OK before the driver sets it", 0, d.mmio().status() & FEATURES_OK);
    }
}
