package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.MmioRegister;

/** Which programs can see a register a reset may keep ({@link ResetLeftovers#sees}). */
class ResetLeftoversScanTest {
    private final ResetLeftovers modern = new ResetLeftovers(true, false);

    private boolean sees(Op... ops) {
        return modern.sees(new Program(List.of(ops)));
    }

    @Test
    void aDriverThatWritesEverythingItUsesSeesNothing() {
        assertThat(sees(new Op.SetStatus(0), new Op.SetStatus(3), new Op.Features(0, 0), new Op.Features(1, 1),
                new Op.SetStatus(11), new Op.QueueSetup(0, 8, 0, 128, 152), new Op.QueueReady(0, 1),
                new Op.SetStatus(15), new Op.Read(MmioRegister.QUEUE_READY, 4))).isFalse();
        assertThat(sees(new Op.QueueReady(0, 0), new Op.SetStatus(3))).as("no FEATURES_OK, no queue enabled")
                .isFalse();
    }

    @Test
    void enablingAQueueBeforeAllItsLayoutIsWrittenSeesIt() {
        assertThat(sees(new Op.QueueReady(0, 1))).isTrue();
        assertThat(sees(new Op.QueueSetup(1, 8, 0, 128, 152), new Op.QueueReady(0, 1))).as("another queue").isTrue();
        assertThat(sees(new Op.Write(MmioRegister.QUEUE_NUM, 4, 8), new Op.QueueReady(0, 1))).as("QueueNum only")
                .isTrue();
        assertThat(sees(new Op.Write(MmioRegister.QUEUE_SEL, 4, 4096), new Op.QueueSetup(0, 8, 0, 128, 152)))
                .as("a selection the device may ignore").isTrue();
    }

    @Test
    void featuresOkBeforeBothWordsOrAFeatureRegisterThroughAnUnwrittenSelectorSeesThem() {
        assertThat(sees(new Op.Features(1, 1), new Op.SetStatus(11))).isTrue();
        assertThat(sees(new Op.Write(MmioRegister.DRIVER_FEATURES, 4, 1))).isTrue();
        assertThat(sees(new Op.Read(MmioRegister.DEVICE_FEATURES, 4))).isTrue();
        assertThat(sees(new Op.Write(MmioRegister.DEVICE_FEATURES_SEL, 4, 0),
                new Op.Read(MmioRegister.DEVICE_FEATURES, 4))).isFalse();
    }

    @Test
    void aRegisterWriteOfAnotherWidthMaySeeAnything() {
        // QEMU 7.2 campaign, flaky canary at RAM+0x98: an 8-byte write at QueueReady enabled queue 0 on the rings an
        // earlier program of the same QEMU had left.
        assertThat(sees(new Op.Write(MmioRegister.QUEUE_READY, 8, 187))).isTrue();
        assertThat(sees(new Op.Write(MmioRegister.QUEUE_NUM + 1, 1, 8))).isTrue();
        assertThat(sees(new Op.Write(MmioRegister.CONFIG + 32, 1, 1))).as("the config space keeps no register")
                .isFalse();
    }

    @Test
    void aLegacyDeviceKeepsOnlyTheSelectors() {
        ResetLeftovers legacy = new ResetLeftovers(true, true);
        assertThat(legacy.sees(new Program(List.of(new Op.SetStatus(7))))).isFalse();
        assertThat(legacy.sees(new Program(List.of(new Op.Read(MmioRegister.DEVICE_FEATURES, 4))))).isTrue();
    }
}
