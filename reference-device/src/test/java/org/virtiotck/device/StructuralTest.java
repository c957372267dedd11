package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.device.TestDriver.bit;
import static org.virtiotck.spec.FeatureBit.*;
import static org.virtiotck.spec.MmioRegister.*;
import static org.virtiotck.spec.SplitRing.*;

import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.DeviceStatus;

/** Each structural ring violation puts the device into DEVICE_NEEDS_RESET with a config-change interrupt. */
class StructuralTest {

    /** Builds something bad at descriptor slot 0 via {@code build}, publishes head, and checks the reaction. */
    private static TestDriver expectNeedsReset(long without, String ruleId, Consumer<TestDriver> build) {
        TestDriver d = new TestDriver().init(without);
        byte[] usedBefore = d.mem.read(TestDriver.USED, 4 + 8 * 16);
        build.accept(d);
        d.notifyQueue(0);
        assertThat(d.dev.needsReset()).as("needs reset").isTrue();
        assertThat(d.r(STATUS) & DeviceStatus.DEVICE_NEEDS_RESET).isNotZero();
        assertThat(d.r(INTERRUPT_STATUS) & INT_CONFIG_CHANGE).isNotZero();
        assertThat(d.dev.interruptAsserted()).isTrue();
        assertThat(d.mem.read(TestDriver.USED, 4 + 8 * 16)).as("used ring untouched").isEqualTo(usedBefore);
        if (ruleId != null) {
            assertThat(d.dev.driverViolations()).extracting(DriverViolation::requirementId).contains(ruleId);
        }
        // a broken device ignores further notifications until reset
        d.w(INTERRUPT_ACK, 3);
        d.notifyQueue(0);
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
        // reset clears the condition and the device works again
        d.w(STATUS, 0);
        assertThat(d.dev.needsReset()).isFalse();
        assertThat(d.r(STATUS)).isZero();
        return d;
    }

    @Test
    void headOutOfRange() {
        expectNeedsReset(0, "split.drv.8", d -> d.publish(16));
    }

    @Test
    void nextOutOfRange() {
        expectNeedsReset(0, "split.drv.8", d -> {
            d.writeDesc(TestDriver.DESC, 0, d.header(Blk.T_FLUSH, 0), 16, DESC_F_NEXT, 99);
            d.publish(0);
        });
    }

    @Test
    void loop() {
        expectNeedsReset(0, "split.drv.8", d -> {
            long h = d.header(Blk.T_FLUSH, 0);
            d.writeDesc(TestDriver.DESC, 0, h, 16, DESC_F_NEXT, 1);
            d.writeDesc(TestDriver.DESC, 1, h, 16, DESC_F_NEXT, 0);
            d.publish(0);
        });
    }

    @Test
    void bufferOutsideRam() {
        expectNeedsReset(0, "reserved.drv.5", d -> {
            d.writeDesc(TestDriver.DESC, 0, d.header(Blk.T_FLUSH, 0), 16, DESC_F_NEXT, 1);
            d.writeDesc(TestDriver.DESC, 1, TestDriver.RAM_BASE + TestDriver.RAM_SIZE - 1, 2, DESC_F_WRITE, 0);
            d.publish(0);
        });
    }

    @Test
    void bufferAddressOverflow() {
        expectNeedsReset(0, "reserved.drv.5", d -> {
            d.writeDesc(TestDriver.DESC, 0, d.header(Blk.T_FLUSH, 0), 16, DESC_F_NEXT, 1);
            d.writeDesc(TestDriver.DESC, 1, -8L, 0x10000, DESC_F_WRITE, 0);
            d.publish(0);
        });
    }

    @Test
    void readableAfterWritable() {
        expectNeedsReset(0, "split.drv.2", d -> {
            long st = d.alloc(1);
            d.writeDesc(TestDriver.DESC, 0, st, 1, DESC_F_WRITE | DESC_F_NEXT, 1);
            d.writeDesc(TestDriver.DESC, 1, d.header(Blk.T_FLUSH, 0), 16, 0, 0);
            d.publish(0);
        });
    }

    @Test
    void indirectWithoutNegotiation() {
        expectNeedsReset(bit(INDIRECT_DESC), "split.drv.6", d -> {
            d.writeDesc(TestDriver.DESC, 0, d.alloc(32), 32, DESC_F_INDIRECT, 0);
            d.publish(0);
        });
    }

    @Test
    void indirectWithNext() {
        expectNeedsReset(0, "split.drv.9", d -> {
            d.writeDesc(TestDriver.DESC, 0, d.alloc(32), 32, DESC_F_INDIRECT | DESC_F_NEXT, 1);
            d.publish(0);
        });
    }

    @Test
    void indirectBadLength() {
        expectNeedsReset(0, "split.drv.6", d -> {
            d.writeDesc(TestDriver.DESC, 0, d.alloc(32), 24, DESC_F_INDIRECT, 0);
            d.publish(0);
        });
    }

    @Test
    void nestedIndirect() {
        expectNeedsReset(0, "split.drv.7", d -> {
            long table = d.alloc(32);
            d.writeDesc(table, 0, d.alloc(32), 32, DESC_F_INDIRECT, 0);
            d.writeDesc(TestDriver.DESC, 0, table, 32, DESC_F_INDIRECT, 0);
            d.publish(0);
        });
    }

    @Test
    void indirectLoop() {
        expectNeedsReset(0, "split.drv.4", d -> {
            long table = d.alloc(32);
            long h = d.header(Blk.T_FLUSH, 0);
            d.writeDesc(table, 0, h, 16, DESC_F_NEXT, 1);
            d.writeDesc(table, 1, h, 16, DESC_F_NEXT, 0);
            d.writeDesc(TestDriver.DESC, 0, table, 32, DESC_F_INDIRECT, 0);
            d.publish(0);
        });
    }

    @Test
    void availIdxJump() {
        expectNeedsReset(0, "init.drv.9", d -> d.mem.writeLe16(TestDriver.AVAIL + 2, 17));
    }

    @Test
    void availIdxBackwards() {
        TestDriver d = new TestDriver().init();
        d.simple(Blk.T_FLUSH, 0);
        d.simple(Blk.T_FLUSH, 0);
        d.mem.writeLe16(TestDriver.AVAIL + 2, 1);
        d.notifyQueue(0);
        assertThat(d.dev.needsReset()).isTrue();
        assertThat(d.dev.driverViolations()).extracting(DriverViolation::requirementId).containsExactly("split.drv.11");
    }

    @Test
    void noStatusByte() {
        expectNeedsReset(0, null, d -> {
            d.writeDesc(TestDriver.DESC, 0, d.header(Blk.T_FLUSH, 0), 16, 0, 0);
            d.publish(0);
        });
    }

    @Test
    void shortHeader() {
        expectNeedsReset(0, null, d -> {
            d.writeDesc(TestDriver.DESC, 0, d.header(Blk.T_FLUSH, 0), 8, DESC_F_NEXT, 1);
            d.writeDesc(TestDriver.DESC, 1, d.alloc(1), 1, DESC_F_WRITE, 0);
            d.publish(0);
        });
    }

    @Test
    void ringsOutsideRam() {
        TestDriver d = new TestDriver().featuresOk();
        d.setupQueue(0, 16, TestDriver.DESC, TestDriver.RAM_BASE + TestDriver.RAM_SIZE - 8, TestDriver.USED);
        assertThat(d.dev.driverViolations()).extracting(DriverViolation::requirementId).containsExactly("reserved.drv.5");
        d.driverOk();
        d.notifyQueue(0);
        assertThat(d.dev.needsReset()).isTrue();
        assertThat(d.r(INTERRUPT_STATUS)).isEqualTo(INT_CONFIG_CHANGE);
    }

    @Test
    void needsResetBeforeDriverOkRaisesNoInterrupt() {
        // legacy serves requests before DRIVER_OK, so a structural error can happen then
        TestDriver d = new TestDriver(BlockDeviceConfig.builder().legacy(true).build()).legacyDriver();
        d.legacyQueue(16);
        d.mem.writeLe16(d.legacyAvail() + 4, 40);
        d.mem.writeLe16(d.legacyAvail() + 2, 1);
        d.notifyQueue(0);
        assertThat(d.dev.needsReset()).isTrue();
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
    }

    @Test
    void completedRequestsBeforeTheBadOneArePublished() {
        TestDriver d = new TestDriver().init();
        long st = d.alloc(1);
        int good = d.chain(TestDriver.ro(d.header(Blk.T_FLUSH, 0), 16), TestDriver.wr(st, 1));
        d.publish(good);
        d.publish(15); // head 15 is never written: zero descriptor has no status byte
        d.mem.writeLe64(TestDriver.DESC + 15 * 16, 0);
        d.notifyQueue(0);
        assertThat(d.usedIdx()).isEqualTo(1);
        assertThat(d.mem.readU8(st)).isEqualTo(Blk.S_OK);
        assertThat(d.dev.needsReset()).isTrue();
        assertThat(d.r(INTERRUPT_STATUS)).isEqualTo(INT_USED_BUFFER | INT_CONFIG_CHANGE);
    }
}
