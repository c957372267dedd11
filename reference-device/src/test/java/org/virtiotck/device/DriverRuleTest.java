package org.virtiotck.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.DeviceStatus.*;
import static org.virtiotck.spec.MmioRegister.*;

import org.junit.jupiter.api.Test;
import org.virtiotck.spec.Blk;
import org.virtiotck.spec.SplitRing;

class DriverRuleTest {
    @Test
    void configWriteDuringNegotiationIsRecorded() {
        TestDriver d = new TestDriver().acknowledged();
        d.dev.write(CONFIG + Blk.CFG_WRITEBACK, 1, 0);
        assertThat(d.violations()).containsExactly("init.drv.3");
        assertThat(d.dev.writeback()).isEqualTo(1); // not writable before negotiation
    }

    @Test
    void driverFeaturesWithoutSelectorOrBeforeDriverAreRecorded() {
        TestDriver d = new TestDriver();
        d.probe();
        d.w(DRIVER_FEATURES, 0);
        assertThat(d.violations()).containsExactly("mmio.drv.13", "init.drv.1");
    }

    @Test
    void availFlagsMisuseIsRecorded() {
        TestDriver d = new TestDriver().init();
        d.mem.writeLe16(TestDriver.AVAIL, SplitRing.AVAIL_F_NO_INTERRUPT); // EVENT_IDX negotiated: must be 0
        d.simple(Blk.T_FLUSH, 0);
        assertThat(d.violations()).containsExactly("split.drv.14");
    }

    @Test
    void dirtyUsedRingIsRecorded() {
        TestDriver d = new TestDriver().init();
        d.mem.writeLe16(TestDriver.USED, 1);
        d.simple(Blk.T_FLUSH, 0);
        assertThat(d.violations()).containsExactly("split.drv.19");
    }

    @Test
    void misalignedRingsAreRecorded() {
        TestDriver d = new TestDriver().featuresOk();
        d.setupQueue(0, 16, TestDriver.DESC + 8, TestDriver.AVAIL + 1, TestDriver.USED + 2);
        assertThat(d.violations()).containsExactly("split.drv.1");
    }

    @Test
    void flushWithDataIsRecorded() {
        TestDriver d = new TestDriver().init();
        long h = d.header(Blk.T_FLUSH, 0);
        TestDriver.Result r = d.submit(TestDriver.ro(h, 16), TestDriver.ro(d.alloc(512), 512), TestDriver.wr(d.alloc(1), 1));
        assertThat(r.status()).isEqualTo(Blk.S_OK);
        assertThat(d.violations()).containsExactly("blk.drv.15");
    }

    @Test
    void violationListIsBounded() {
        TestDriver d = new TestDriver();
        for (int i = 0; i < DriverRuleChecker.MAX_RECORDED + 10; i++) {
            d.r(QUEUE_SEL);
        }
        assertThat(d.dev.driverViolations()).hasSize(DriverRuleChecker.MAX_RECORDED);
        assertThat(d.dev.droppedViolations()).isEqualTo(10);
        d.dev.clearDriverViolations();
        assertThat(d.dev.driverViolations()).isEmpty();
    }

    @Test
    void everyRecordedIdExistsInTheCatalog() throws Exception {
        java.nio.file.Path tsv = java.nio.file.Path.of("/work/shared/spec/virtio-requirements.tsv");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(tsv), "catalog not present");
        java.util.Set<String> catalog = new java.util.HashSet<>();
        for (String line : java.nio.file.Files.readAllLines(tsv)) {
            catalog.add(line.split("\t", 2)[0]);
        }
        // every id literal used in the main sources
        java.util.regex.Pattern p = java.util.regex.Pattern.compile("\"([a-z-]+\\.drv\\.\\d+)\"");
        java.nio.file.Path src = java.nio.file.Path.of("src/main/java/org/virtiotck/device");
        java.util.Set<String> used = new java.util.TreeSet<>();
        try (var files = java.nio.file.Files.list(src)) {
            for (java.nio.file.Path f : files.toList()) {
                var m = p.matcher(java.nio.file.Files.readString(f));
                while (m.find()) {
                    used.add(m.group(1));
                }
            }
        }
        assertThat(used).isNotEmpty();
        assertThat(catalog).containsAll(used);
    }

    /**
     * A ring address written to a stopping queue without reading back that it stopped, or after FAILED: the record
     * names the register (the checker words it only when it records).
     */
    @Test
    void ringAddressWrittenToAStoppingQueueOrAfterFailedNamesTheRegister() {
        TestDriver d = new TestDriver().init();
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_READY, 0);
        d.w(QUEUE_DEVICE_HIGH, 0);
        d.w(QUEUE_DRIVER_LOW, 0x1000); // the read-back is owed once: recorded once
        assertThat(d.dev.driverViolations()).extracting(DriverViolation::toString).containsExactly(
                "mmio.drv.16: QueueDeviceHigh of queue 0 written after QueueReady=0 without reading QueueReady back");
        d.dev.clearDriverViolations();
        d.w(STATUS, d.dev.read(STATUS, 4) | FAILED);
        d.dev.clearDriverViolations();
        d.w(QUEUE_DESC_LOW, 0x2000);
        assertThat(d.dev.driverViolations()).extracting(DriverViolation::toString)
                .containsExactly("init.drv.7: QueueDescLow written after the driver set FAILED");
    }

    /** The checker's remembered words are the words it would build: every register offset and status byte. */
    @Test
    void rememberedWordsAreTheBuiltOnes() {
        for (int round = 0; round < 2; round++) { // built on the first round, remembered on the second
            for (int off = 0; off < CONFIG; off++) {
                assertThat(RuleWords.register(off)).isEqualTo(name(off) + " (0x" + Integer.toHexString(off) + ")");
            }
            for (int s = 0; s < 512; s++) {
                assertThat(RuleWords.status(s)).isEqualTo(describe(s));
            }
            assertThat(RuleWords.status(-1)).isEqualTo(describe(-1));
            assertThat(RuleWords.register(CONFIG + 4)).isEqualTo(name(CONFIG + 4) + " (0x104)");
        }
    }
}
