package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.device.TestDriver.bit;
import static org.virtiotck.spec.DeviceStatus.*;
import static org.virtiotck.spec.FeatureBit.*;
import static org.virtiotck.spec.MmioRegister.*;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtiotck.spec.Blk;

class StatusAndFeaturesTest {

    @Test
    void carefulInitRecordsNothing() {
        TestDriver d = new TestDriver().init();
        assertThat(d.r(STATUS)).isEqualTo(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        assertThat(d.dev.negotiatedFeatures()).isEqualTo(BlockDeviceConfig.defaultModernFeatures());
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void resetClearsEverything() {
        TestDriver d = new TestDriver().init();
        d.write(0, new byte[512]);
        d.dev.resizeCapacity(4096);
        assertThat(d.r(INTERRUPT_STATUS)).isEqualTo(INT_USED_BUFFER | INT_CONFIG_CHANGE);
        d.w(STATUS, 0);
        assertThat(d.r(STATUS)).isZero();
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
        assertThat(d.dev.interruptAsserted()).isFalse();
        d.w(QUEUE_SEL, 0);
        assertThat(d.r(QUEUE_READY)).isZero();
        assertThat(d.r(QUEUE_RESET)).isZero();
        assertThat(d.dev.negotiatedFeatures()).isZero();
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void deviceTouchesNoRingAfterReset() {
        TestDriver d = new TestDriver().init();
        d.w(STATUS, 0);
        d.dev.clearDriverViolations();
        byte[] before = d.mem.read(TestDriver.USED, 64);
        long h = d.header(Blk.T_IN, 0);
        long data = d.alloc(512);
        long st = d.alloc(1);
        d.mem.writeU8(st, 0xee);
        int head = d.chain(TestDriver.ro(h, 16), TestDriver.wr(data, 512), TestDriver.wr(st, 1));
        d.publish(head);
        d.notifyQueue(0);
        assertThat(d.mem.read(TestDriver.USED, 64)).isEqualTo(before);
        assertThat(d.mem.readU8(st)).isEqualTo(0xee);
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
        assertThat(d.violations()).containsExactly("init.drv.8");
    }

    @Test
    void nothingIsServedBeforeDriverOk() {
        TestDriver d = new TestDriver();
        d.negotiate(d.deviceFeatures());
        d.setupQueue(0, 16, TestDriver.DESC, TestDriver.AVAIL, TestDriver.USED);
        long h = d.header(Blk.T_FLUSH, 0);
        long st = d.alloc(1);
        d.mem.writeU8(st, 0xee);
        int head = d.chain(TestDriver.ro(h, 16), TestDriver.wr(st, 1));
        d.publish(head);
        d.notifyQueue(0);
        assertThat(d.usedIdx()).isZero();
        assertThat(d.mem.readU8(st)).isEqualTo(0xee);
        assertThat(d.violations()).containsExactly("init.drv.8");
        // After DRIVER_OK, a notification makes the device pick the request up.
        d.driverOk();
        d.notifyQueue(0);
        assertThat(d.usedIdx()).isEqualTo(1);
        assertThat(d.mem.readU8(st)).isEqualTo(Blk.S_OK);
    }

    @Test
    void featuresOkRefusedWithoutVersion1() {
        TestDriver d = new TestDriver();
        boolean ok = d.negotiate(d.deviceFeatures() & ~bit(VERSION_1));
        assertThat(ok).isFalse();
        assertThat(d.r(STATUS) & FEATURES_OK).isZero();
        assertThat(d.violations()).containsExactly("reserved.drv.1");
        // the same (valid) set after reset is accepted again (features.dev.5)
        assertThat(d.negotiate(d.deviceFeatures())).isTrue();
    }

    @Test
    void featuresOkRefusedForBitsNotOffered() {
        TestDriver d = new TestDriver();
        assertThat(d.negotiate(d.deviceFeatures() | bit(ADMIN_VQ) | bit(BLK_ZONED))).isFalse();
        assertThat(d.violations()).containsExactly("mmio.drv.31", "features.drv.1");
        d.dev.clearDriverViolations();
        assertThat(d.negotiate(d.deviceFeatures() | bit(SR_IOV))).isFalse();
        assertThat(d.violations()).containsExactly("reserved.drv.10", "features.drv.1");
    }

    @Test
    void subsetIsAccepted() {
        TestDriver d = new TestDriver();
        assertThat(d.negotiate(bit(VERSION_1))).isTrue();
        assertThat(d.dev.negotiatedFeatures()).isEqualTo(bit(VERSION_1));
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void driverOkAfterRefusalIsRecorded() {
        TestDriver d = new TestDriver();
        d.negotiate(bit(BLK_FLUSH));
        d.w(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        assertThat(d.violations()).containsExactly("reserved.drv.1", "init.drv.5");
    }

    @Test
    void wrongInitOrdersAreRecorded() {
        TestDriver d = new TestDriver();
        d.probe();
        d.w(STATUS, DRIVER);
        assertThat(d.violations()).containsExactly("init.drv.1");
        d.w(STATUS, 0);
        d.dev.clearDriverViolations();
        d.statuses(ACKNOWLEDGE, ACKNOWLEDGE | DRIVER, ACKNOWLEDGE | DRIVER | DRIVER_OK);
        assertThat(d.violations()).containsExactly("init.drv.1");
    }

    @Test
    void clearingStatusBitsWithoutResetIsRecorded() {
        TestDriver d = new TestDriver().init();
        d.w(STATUS, ACKNOWLEDGE);
        assertThat(d.r(STATUS)).isEqualTo(ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        assertThat(d.violations()).containsExactly("status.drv.2");
    }

    @Test
    void newAttemptAfterFailedNeedsReset() {
        TestDriver d = new TestDriver();
        d.probe();
        d.statuses(ACKNOWLEDGE, ACKNOWLEDGE | FAILED, ACKNOWLEDGE | DRIVER | FAILED);
        assertThat(d.violations()).containsExactly("status.drv.3");
    }

    @Test
    void initWithoutIdentityProbeIsRecorded() {
        TestDriver d = new TestDriver();
        d.w(STATUS, ACKNOWLEDGE);
        assertThat(d.violations()).containsExactly("mmio.drv.23");
    }

    @Test
    void featureWritesAfterFeaturesOkAreIgnoredAndRecorded() {
        TestDriver d = new TestDriver().featuresOk();
        d.w(DRIVER_FEATURES_SEL, 0);
        d.w(DRIVER_FEATURES, 0);
        assertThat(d.dev.negotiatedFeatures()).isEqualTo(BlockDeviceConfig.defaultModernFeatures());
        assertThat(d.violations()).containsExactly("init.drv.4");
    }

    @Test
    void driverOkWithoutRereadingStatusIsRecorded() {
        TestDriver d = new TestDriver().acknowledged();
        d.deviceFeatures();
        d.w(DRIVER_FEATURES_SEL, 1);
        d.w(DRIVER_FEATURES, 1);
        d.w(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK);
        d.w(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DRIVER_OK);
        assertThat(d.violations()).containsExactly("init.drv.5");
    }

    @Test
    void queueSetupBeforeFeaturesOkIsRecorded() {
        TestDriver d = new TestDriver().acknowledged();
        d.setupQueue(0, 16, TestDriver.DESC, TestDriver.AVAIL, TestDriver.USED);
        assertThat(d.violations()).containsExactly("init.drv.1");
    }

    @Test
    void queueRegistersWhileReadyAreIgnoredAndRecorded() {
        TestDriver d = new TestDriver().init();
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_NUM, 8);
        d.w(QUEUE_DESC_LOW, 0x1234);
        assertThat(d.violations()).containsExactly("mmio.drv.15", "mmio.drv.15");
        // still fully functional with the original layout
        assertThat(d.write(0, new byte[512]).status()).isEqualTo(Blk.S_OK);
    }

    @Test
    void queueSizeChecks() {
        TestDriver d = new TestDriver();
        d.negotiate(d.deviceFeatures());
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_NUM, 512);
        d.w(QUEUE_NUM, 24);
        assertThat(d.violations()).containsExactly("mmio.drv.14", "split-desc.drv.1");
    }

    @Test
    void queueResetResetsOneQueue() {
        TestDriver d = new TestDriver().init();
        d.write(0, new byte[512]);
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_RESET, 1);
        assertThat(d.r(QUEUE_RESET)).isZero();
        assertThat(d.r(QUEUE_READY)).isZero();
        assertThat(d.r(STATUS) & DRIVER_OK).isNotZero();
        // re-enable with fresh rings
        d.mem.fill(TestDriver.AVAIL, 0x1000, (byte) 0);
        d.mem.fill(TestDriver.USED, 0x1000, (byte) 0);
        d.availIdx = 0;
        d.lastUsed = 0;
        d.setupQueue(0, 8, TestDriver.DESC, TestDriver.AVAIL, TestDriver.USED);
        d.queueSize = 8;
        d.nextDesc = 0;
        assertThat(d.write(1, new byte[512]).status()).isEqualTo(Blk.S_OK);
        assertThat(d.usedIdx()).isEqualTo(1);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    static Stream<Arguments> stopRequests() {
        return Stream.of(Arguments.of(QUEUE_RESET, 1, "mmio.drv.20"), Arguments.of(QUEUE_READY, 0, "mmio.drv.16"));
    }

    /**
     * Reconfiguring queue 0 (QueueNum) right after asking it to stop, without reading back that it did: after
     * QueueReset = 1 (mmio.drv.20 wants QueueReset read back as 0), after QueueReady = 0 (mmio.drv.16, QueueReady).
     */
    @ParameterizedTest(name = "{2}")
    @MethodSource("stopRequests")
    void reconfiguringAStoppingQueueWithoutReadbackIsRecorded(int register, int value, String id) {
        TestDriver d = new TestDriver().init();
        d.w(QUEUE_SEL, 0);
        d.w(register, value);
        d.w(QUEUE_NUM, 16);
        assertThat(d.violations()).containsExactly(id);
    }

    @Test
    void configWceWithoutFlushStartsWritethrough() {
        TestDriver d = new TestDriver();
        assertThat(d.negotiate(bit(VERSION_1) | bit(BLK_CONFIG_WCE))).isTrue();
        assertThat(d.dev.read(CONFIG + Blk.CFG_WRITEBACK, 1)).isZero(); // blk.dev.3
        assertThat(d.dev.writethrough()).isTrue();
    }

    @Test
    void neitherFlushNorWceMeansWritethrough() {
        TestDriver d = new TestDriver();
        assertThat(d.negotiate(bit(VERSION_1))).isTrue();
        assertThat(d.dev.writethrough()).isTrue(); // blk.dev.31
        d.setupQueue(0, 16, TestDriver.DESC, TestDriver.AVAIL, TestDriver.USED);
        d.driverOk();
        long before = d.dev.backend().flushCount();
        d.write(0, new byte[512]);
        assertThat(d.dev.backend().flushCount()).isEqualTo(before + 1);
    }

    @Test
    void flushWithoutWceMeansWriteback() {
        TestDriver d = new TestDriver();
        assertThat(d.negotiate(bit(VERSION_1) | bit(BLK_FLUSH))).isTrue();
        assertThat(d.dev.writethrough()).isFalse();
    }
}
