package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.*;

import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;
import org.virtiotck.spec.FeatureBit;

class BasicIoTest {

    @Test
    void writeThenReadBack() {
        TestDriver d = new TestDriver().init();
        byte[] data = TestDriver.pattern(1024, 7);
        TestDriver.Result w = d.write(10, data);
        assertThat(w.status()).isEqualTo(Blk.S_OK);
        assertThat(w.usedLen()).isEqualTo(1);
        TestDriver.Result r = d.read(10, 1024);
        assertThat(r.status()).isEqualTo(Blk.S_OK);
        assertThat(r.usedLen()).isEqualTo(1025);
        assertThat(r.data()).isEqualTo(data);
        assertThat(d.dev.backend().read(10 * 512L, 1024)).isEqualTo(data);
        assertThat(d.dev.driverViolations()).isEmpty();
        assertThat(d.dev.needsReset()).isFalse();
    }

    @Test
    void usedBufferInterruptIsLatchedUntilAck() {
        TestDriver d = new TestDriver().init();
        d.write(0, new byte[512]);
        assertThat(d.r(INTERRUPT_STATUS)).isEqualTo(INT_USED_BUFFER);
        assertThat(d.dev.interruptAsserted()).isTrue();
        d.w(INTERRUPT_ACK, INT_USED_BUFFER);
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
        assertThat(d.irqEdges).containsExactly(true, false);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void flushReachesBackend() {
        TestDriver d = new TestDriver().init();
        long before = d.dev.backend().flushCount();
        TestDriver.Result r = d.simple(Blk.T_FLUSH, 0);
        assertThat(r.status()).isEqualTo(Blk.S_OK);
        assertThat(r.usedLen()).isEqualTo(1);
        assertThat(d.dev.backend().flushCount()).isEqualTo(before + 1);
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void flushWithNonZeroSectorIsServedButRecorded() {
        TestDriver d = new TestDriver().init();
        TestDriver.Result r = d.simple(Blk.T_FLUSH, 5);
        assertThat(r.status()).isEqualTo(Blk.S_OK);
        assertThat(d.dev.driverViolations()).extracting(DriverViolation::requirementId).containsExactly("blk.drv.14");
    }

    @Test
    void unknownTypeIsUnsupported() {
        TestDriver d = new TestDriver().init();
        assertThat(d.simple(99, 0).status()).isEqualTo(Blk.S_UNSUPP);
        for (int zone : Blk.ZONE_TYPES) {
            assertThat(d.simple(zone, 0).status()).as(Blk.typeName(zone)).isEqualTo(Blk.S_UNSUPP);
        }
        assertThat(d.dev.needsReset()).isFalse();
    }

    @Test
    void readPastCapacityIsIoErr() {
        TestDriver d = new TestDriver().init();
        TestDriver.Result r = d.read(2047, 1024);
        assertThat(r.status()).isEqualTo(Blk.S_IOERR);
        assertThat(d.read(2047, 512).status()).isEqualTo(Blk.S_OK);
        assertThat(d.read(2048, 0).status()).isEqualTo(Blk.S_OK);
        assertThat(d.read(-1L, 512).status()).isEqualTo(Blk.S_IOERR);
        assertThat(d.read(Long.MAX_VALUE / 256, 512).status()).isEqualTo(Blk.S_IOERR);
        assertThat(d.dev.driverViolations()).extracting(DriverViolation::requirementId)
                .containsExactly("blk.drv.12", "blk.drv.12", "blk.drv.12");
    }

    @Test
    void registersIdentifyModernBlockDevice() {
        TestDriver d = new TestDriver();
        assertThat(d.r(MAGIC_VALUE)).isEqualTo(0x74726976);
        assertThat(d.r(VERSION)).isEqualTo(2);
        assertThat(d.r(DEVICE_ID)).isEqualTo(2);
        assertThat(d.r(VENDOR_ID)).isEqualTo(BlockDeviceConfig.DEFAULT_VENDOR_ID);
        long f = d.deviceFeatures();
        assertThat(f).isEqualTo(BlockDeviceConfig.defaultModernFeatures());
        assertThat(FeatureBit.has(f, FeatureBit.VERSION_1)).isTrue();
        assertThat(d.r(STATUS)).isZero();
        assertThat(d.dev.status()).isEqualTo(0);
        assertThat(DeviceStatus.describe(d.dev.status())).contains("reset");
    }
}
