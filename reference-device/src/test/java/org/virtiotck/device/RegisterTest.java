package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.*;

import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.FeatureBit;

class RegisterTest {

    private static java.util.List<String> ids(TestDriver d) {
        return d.dev.driverViolations().stream().map(DriverViolation::requirementId).toList();
    }

    @Test
    void shmRegistersReportNoRegion() {
        TestDriver d = new TestDriver();
        d.w(SHM_SEL, 0);
        assertThat(d.r(SHM_LEN_LOW)).isEqualTo(-1);
        assertThat(d.r(SHM_LEN_HIGH)).isEqualTo(-1);
        assertThat(d.r(SHM_BASE_LOW)).isEqualTo(-1);
        assertThat(d.r(SHM_BASE_HIGH)).isEqualTo(-1);
        assertThat(d.dev.driverViolations()).isEmpty(); // probing SHM is allowed
    }

    @Test
    void undefinedOffsetsReadZeroIgnoreWritesAndAreRecorded() {
        TestDriver d = new TestDriver();
        for (int off : new int[] {0x018, 0x01c, 0x02c, 0x048, 0x054, 0x068, 0x074, 0x0a8, 0x0c4, 0x0f8}) {
            d.w(off, 0xffffffffL);
            assertThat(d.r(off)).as("offset 0x%x", off).isZero();
        }
        assertThat(ids(d)).containsOnly("mmio.drv.1").hasSize(20);
    }

    @Test
    void legacyOffsetsOnModernDeviceAreRecorded() {
        TestDriver d = new TestDriver();
        d.w(GUEST_PAGE_SIZE, 4096);
        d.w(QUEUE_ALIGN, 4096);
        assertThat(d.r(QUEUE_PFN)).isZero();
        assertThat(ids(d)).containsExactly("mmio.drv.1", "mmio.drv.1", "mmio.drv.1");
        assertThat(d.dev.driverViolations().get(0).detail()).contains("legacy-only");
    }

    @Test
    void queueNumMaxIsZeroForMissingQueues() {
        TestDriver d = new TestDriver(BlockDeviceConfig.builder().queues(2).queueNumMax(128).build());
        d.w(QUEUE_SEL, 0);
        assertThat(d.r(QUEUE_NUM_MAX)).isEqualTo(128);
        d.w(QUEUE_SEL, 1);
        assertThat(d.r(QUEUE_NUM_MAX)).isEqualTo(128);
        d.w(QUEUE_SEL, 2);
        assertThat(d.r(QUEUE_NUM_MAX)).isZero();
        assertThat(d.r(QUEUE_READY)).isZero();
    }

    @Test
    void featureWordsFollowSelector() {
        TestDriver d = new TestDriver();
        long f = BlockDeviceConfig.defaultModernFeatures();
        d.w(DEVICE_FEATURES_SEL, 0);
        assertThat(d.r(DEVICE_FEATURES)).isEqualTo((int) f);
        d.w(DEVICE_FEATURES_SEL, 1);
        assertThat(d.r(DEVICE_FEATURES)).isEqualTo((int) (f >>> 32)).isEqualTo(1 | 1 << 3 | 1 << 8); // VERSION_1, IN_ORDER, RING_RESET
        d.w(DEVICE_FEATURES_SEL, 2);
        assertThat(d.r(DEVICE_FEATURES)).isZero();
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void readingFeaturesWithoutSelectorIsRecorded() {
        TestDriver d = new TestDriver();
        d.r(DEVICE_FEATURES);
        assertThat(ids(d)).containsExactly("mmio.drv.12");
    }

    @Test
    void narrowControlAccessIsRecordedAndWritesIgnored() {
        TestDriver d = new TestDriver();
        assertThat(d.dev.read(MAGIC_VALUE, 1)).isEqualTo(0x76);        // 'v'
        assertThat(d.dev.read(MAGIC_VALUE + 1, 2)).isEqualTo(0x7269);  // "ir"
        assertThat(d.dev.read(MAGIC_VALUE, 8)).isEqualTo(0x0000000274726976L);
        d.dev.write(STATUS, 1, 1);
        assertThat(d.r(STATUS)).isZero();
        assertThat(ids(d)).containsExactly("mmio.drv.4", "mmio.drv.4", "mmio.drv.4", "mmio.drv.4");
    }

    @Test
    void readOnlyAndWriteOnlyRegistersAreRecorded() {
        TestDriver d = new TestDriver();
        d.w(MAGIC_VALUE, 0);
        d.w(INTERRUPT_STATUS, 3);
        d.w(CONFIG_GENERATION, 5);
        assertThat(d.r(MAGIC_VALUE)).isEqualTo(MAGIC);
        assertThat(d.r(QUEUE_SEL)).isZero();
        assertThat(d.r(INTERRUPT_ACK)).isZero();
        assertThat(ids(d)).containsExactly("mmio.drv.2", "mmio.drv.2", "mmio.drv.2", "mmio.drv.3", "mmio.drv.3");
    }

    @Test
    void configSpaceHoldsConfiguredValues() {
        TestDriver d = new TestDriver();
        BlockDeviceConfig c = d.dev.config();
        assertThat(d.r(CONFIG + Blk.CFG_CAPACITY)).isEqualTo(2048);
        assertThat(d.r(CONFIG + Blk.CFG_CAPACITY + 4)).isZero();
        assertThat(d.r(CONFIG + Blk.CFG_SIZE_MAX)).isEqualTo(c.sizeMax());
        assertThat(d.r(CONFIG + Blk.CFG_SEG_MAX)).isEqualTo(c.segMax());
        assertThat(d.dev.read(CONFIG + Blk.CFG_GEOMETRY_CYLINDERS, 2)).isEqualTo(2);
        assertThat(d.dev.read(CONFIG + Blk.CFG_GEOMETRY_HEADS, 1)).isEqualTo(16);
        assertThat(d.dev.read(CONFIG + Blk.CFG_GEOMETRY_SECTORS, 1)).isEqualTo(63);
        assertThat(d.r(CONFIG + Blk.CFG_BLK_SIZE)).isEqualTo(512);
        assertThat(d.dev.read(CONFIG + Blk.CFG_PHYSICAL_BLOCK_EXP, 1)).isEqualTo(3);
        assertThat(d.dev.read(CONFIG + Blk.CFG_MIN_IO_SIZE, 2)).isEqualTo(8);
        assertThat(d.r(CONFIG + Blk.CFG_OPT_IO_SIZE)).isEqualTo(128);
        assertThat(d.dev.read(CONFIG + Blk.CFG_NUM_QUEUES, 2)).isEqualTo(1);
        assertThat(d.r(CONFIG + Blk.CFG_MAX_DISCARD_SECTORS)).isEqualTo(c.maxDiscardSectors());
        assertThat(d.r(CONFIG + Blk.CFG_MAX_DISCARD_SEG)).isEqualTo(c.maxDiscardSeg());
        assertThat(d.r(CONFIG + Blk.CFG_MAX_WRITE_ZEROES_SEG)).isEqualTo(c.maxWriteZeroesSeg());
        assertThat(d.r(CONFIG + Blk.CFG_MAX_SECURE_ERASE_SEG)).isEqualTo(c.maxSecureEraseSeg());
        assertThat(d.dev.driverViolations()).isEmpty(); // all readable before FEATURES_OK (config.dev.1)
        // zoned fields and padding read 0; bytes past the structure read 0 (recorded: mmio.drv.1)
        for (int off = Blk.CFG_ZONE_SECTORS; off < Blk.CONFIG_SIZE + 16; off++) {
            assertThat(d.dev.read(CONFIG + off, 1)).as("config byte %d", off).isZero();
        }
        assertThat(d.dev.read(CONFIG + 0x80, 8)).isZero();
    }

    @Test
    void configIsByteGranular() {
        TestDriver d = new TestDriver(BlockDeviceConfig.builder().capacitySectors(0x0102030405L).build());
        assertThat(d.dev.read(CONFIG, 8)).isEqualTo(0x0102030405L);
        assertThat(d.dev.read(CONFIG + 1, 1)).isEqualTo(0x04);
        assertThat(d.dev.read(CONFIG + 1, 2)).isEqualTo(0x0304);
        assertThat(d.dev.read(CONFIG + 2, 4)).isEqualTo(0x00010203L);
        assertThat(ids(d)).containsOnly("mmio.drv.5"); // the driver rule asks for field-sized accesses
    }

    @Test
    void writebackBeforeFeaturesOkIsRecordedButOtherFieldsAreNot() {
        TestDriver d = new TestDriver();
        d.dev.read(CONFIG + Blk.CFG_UNUSED0, 1);
        assertThat(d.dev.driverViolations()).isEmpty();
        d.dev.read(CONFIG + Blk.CFG_WRITEBACK, 1);
        assertThat(ids(d)).containsExactly("blk.drv.4");
    }

    @Test
    void gatedFieldReadWithoutFeatureIsRecorded() {
        long f = BlockDeviceConfig.defaultModernFeatures() & ~FeatureBit.mask(FeatureBit.BLK_MQ);
        TestDriver d = new TestDriver(BlockDeviceConfig.builder().features(f).build());
        assertThat(d.dev.read(CONFIG + Blk.CFG_NUM_QUEUES, 2)).isZero();
        assertThat(ids(d)).containsExactly("config.drv.3");
    }

    @Test
    void configGenerationChangesOnResize() {
        TestDriver d = new TestDriver().init();
        int g = d.r(CONFIG_GENERATION);
        assertThat(d.r(CONFIG_GENERATION)).isEqualTo(g);
        d.dev.resizeCapacity(4096);
        assertThat(d.r(CONFIG_GENERATION)).isNotEqualTo(g);
        assertThat(d.r(CONFIG + Blk.CFG_CAPACITY)).isEqualTo(4096);
        assertThat(d.r(INTERRUPT_STATUS)).isEqualTo(INT_CONFIG_CHANGE);
        assertThat(d.dev.backend().sizeBytes()).isEqualTo(4096 * 512L);
        assertThat(d.write(4000, new byte[512]).status()).isEqualTo(Blk.S_OK);
        d.dev.resizeCapacity(1000);
        assertThat(d.read(1000, 512).status()).isEqualTo(Blk.S_IOERR);
        assertThat(d.read(999, 512).status()).isEqualTo(Blk.S_OK);
    }

    @Test
    void resizeBeforeDriverOkRaisesNoInterrupt() {
        TestDriver d = new TestDriver();
        d.dev.resizeCapacity(10);
        assertThat(d.r(INTERRUPT_STATUS)).isZero();
        assertThat(d.dev.interruptAsserted()).isFalse();
        assertThat(d.dev.configGeneration()).isEqualTo(1);
    }

    @Test
    void interruptAckOfUndefinedBitsIsRecorded() {
        TestDriver d = new TestDriver().init();
        d.w(INTERRUPT_ACK, 0x4);
        assertThat(ids(d)).containsExactly("mmio.drv.19");
    }

    @Test
    void writebackIsWritableWithConfigWce() {
        TestDriver d = new TestDriver().init();
        assertThat(d.dev.read(CONFIG + Blk.CFG_WRITEBACK, 1)).isEqualTo(1);
        assertThat(d.dev.writethrough()).isFalse();
        d.dev.write(CONFIG + Blk.CFG_WRITEBACK, 1, 0);
        assertThat(d.dev.read(CONFIG + Blk.CFG_WRITEBACK, 1)).isZero();
        assertThat(d.dev.writethrough()).isTrue();
        d.dev.write(CONFIG + Blk.CFG_CAPACITY, 4, 1);
        assertThat(d.r(CONFIG + Blk.CFG_CAPACITY)).isEqualTo(2048);
        assertThat(ids(d)).containsExactly("mmio.drv.2");
    }
}
