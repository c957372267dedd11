package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.FeatureBit.*;
import static org.virtiotck.spec.MmioRegister.*;

import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.SplitRing;

class LegacyTest {
    private static TestDriver legacy() {
        return new TestDriver(BlockDeviceConfig.builder().legacy(true).build());
    }

    @Test
    void identityAndLayout() {
        TestDriver d = legacy();
        assertThat(d.r(VERSION)).isEqualTo(1);
        d.w(DEVICE_FEATURES_SEL, 0);
        assertThat(d.r(DEVICE_FEATURES) & 0xffffffffL).isEqualTo(BlockDeviceConfig.defaultLegacyFeatures());
        assertThat(has(BlockDeviceConfig.defaultLegacyFeatures(), ANY_LAYOUT)).isTrue();
        d.w(DEVICE_FEATURES_SEL, 1);
        assertThat(d.r(DEVICE_FEATURES)).isZero();
        assertThat(d.dev.driverViolations()).isEmpty();
        // modern-only registers are absent
        assertThat(d.r(CONFIG_GENERATION)).isZero();
        assertThat(d.r(QUEUE_READY)).isZero();
        assertThat(d.violations()).containsExactly("mmio.drv.1", "mmio.drv.1");
    }

    @Test
    void ioThroughLegacyRings() {
        TestDriver d = legacy().initLegacy(0);
        assertThat(d.dev.driverViolations()).isEmpty();
        d.w(QUEUE_SEL, 0);
        assertThat(d.r(QUEUE_PFN)).isEqualTo((int) (TestDriver.DESC / 4096));
        byte[] data = TestDriver.pattern(512, 1);
        assertThat(d.write(5, data).status()).isEqualTo(Blk.S_OK);
        TestDriver.Result r = d.read(5, 512);
        assertThat(r.status()).isEqualTo(Blk.S_OK);
        assertThat(r.data()).isEqualTo(data);
        // the used ring sits at the legacy aligned offset
        assertThat(d.mem.readLe16(TestDriver.DESC + SplitRing.legacyUsedOffset(16, 4096) + 2)).isEqualTo(2);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void servesRequestsBeforeDriverOk() {
        TestDriver d = legacy().legacyDriver();
        d.legacyQueue(16);
        assertThat(d.simple(Blk.T_FLUSH, 0).status()).isEqualTo(Blk.S_OK); // init-legacy.dev.2
    }

    @Test
    void resetZeroesQueuePfn() {
        TestDriver d = legacy().initLegacy(0);
        d.w(STATUS, 0);
        d.w(QUEUE_SEL, 0);
        assertThat(d.r(QUEUE_PFN)).isZero();
        assertThat(d.r(STATUS)).isZero();
    }

    @Test
    void legacyDriverRules() {
        TestDriver d = legacy().acknowledged();
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_NUM, 16);
        d.w(QUEUE_PFN, TestDriver.DESC / 4096);   // no GuestPageSize, no QueueAlign
        d.r(QUEUE_NUM_MAX);                        // while in use
        d.w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        assertThat(d.violations()).containsExactly("mmio-legacy.drv.1", "mmio-legacy.drv.3", "mmio-legacy.drv.2",
                "init-legacy.drv.1");
        // still usable with the 4096 defaults
        assertThat(d.simple(Blk.T_FLUSH, 0).status()).isEqualTo(Blk.S_OK);
    }

    @Test
    void queueAlignThatMisplacesTheUsedRingBreaksADriverRule() {
        TestDriver d = legacy().acknowledged();
        d.w(GUEST_PAGE_SIZE, 4096);
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_NUM, 8);
        d.w(QUEUE_ALIGN, 4); // a used ring 4-byte aligned: no rule broken
        d.w(QUEUE_PFN, TestDriver.DESC / 4096);
        assertThat(d.violations()).isEmpty();
        d.w(STATUS, 0);
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_NUM, 8);
        d.w(QUEUE_ALIGN, 2); // 16 * 8 + 6 + 2 * 8 = 150: not a multiple of 4
        d.w(QUEUE_PFN, TestDriver.DESC / 4096);
        assertThat(d.violations()).containsExactly("split.drv.1");
        d.dev.clearDriverViolations();
        d.w(STATUS, 0);
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_NUM, 8);
        d.w(QUEUE_ALIGN, 1 << 31); // the used ring at 2 GiB, outside guest RAM
        d.w(QUEUE_PFN, TestDriver.DESC / 4096);
        assertThat(d.violations()).containsExactly("reserved.drv.5");
    }

    @Test
    void anyLayoutMustBeAccepted() {
        TestDriver d = legacy().initLegacy(TestDriver.bit(ANY_LAYOUT));
        assertThat(d.violations()).containsExactly("reserved-legacy.drv.1");
        d.dev.clearDriverViolations();
        // without ANY_LAYOUT the fixed framing is expected
        long buf = d.alloc(17);
        d.mem.writeLe32(buf, Blk.T_FLUSH);
        d.submit(TestDriver.ro(buf, 16), TestDriver.wr(d.alloc(2), 2));
        assertThat(d.violations()).containsExactly("blk-legacy.drv.9", "blk.drv.15"); // and a 1-byte data-in part
    }

    @Test
    void cacheModeChangesOnlyAtDriverOk() {
        TestDriver d = legacy().legacyDriver();
        d.w(DRIVER_FEATURES_SEL, 0);
        d.w(DRIVER_FEATURES, TestDriver.bit(ANY_LAYOUT) | TestDriver.bit(BLK_CONFIG_WCE));
        assertThat(d.dev.writeback()).isEqualTo(1); // blk-legacy.dev.3: feature writes change nothing
        d.w(STATUS, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.DRIVER_OK);
        assertThat(d.dev.writeback()).isEqualTo(1); // CONFIG_WCE accepted: mode stays
        assertThat(d.dev.writethrough()).isFalse();
        // a driver taking neither FLUSH nor CONFIG_WCE gets writethrough at DRIVER_OK
        TestDriver e = legacy().initLegacy(TestDriver.bit(BLK_FLUSH) | TestDriver.bit(BLK_CONFIG_WCE));
        assertThat(e.dev.writeback()).isZero();
        assertThat(e.dev.writethrough()).isTrue();
    }
}
