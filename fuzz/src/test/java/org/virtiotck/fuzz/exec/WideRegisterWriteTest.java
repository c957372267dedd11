package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.GUEST_PAGE_SIZE;
import static org.virtiotck.spec.MmioRegister.QUEUE_NUM;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;

/**
 * QEMU 7.2 legacy campaign finding {@code ff84ee414} (sixth legacy campaign, 3 of 3, 4 ops): GuestPageSize 1, a
 * queue of 1 at RAM+0 with QueueAlign 1, then an 8-byte write of 2 at QueueNum (mmio.drv.4 broken), a notify. QEMU
 * takes the wide write as two 32-bit ones (QueueNum 2, then QueueAlign 0, which it ignores), so its rings grow to
 * two entries and it set the used ring's flags at RAM+0x28 (its used ring placed before used_event, deviation 12).
 * The harness's views ignored wide writes, and fell back to 4096 for the QueueAlign of 0.
 */
class WideRegisterWriteTest {
    private static final Program PROGRAM = new Program(List.of(new Op.Write(GUEST_PAGE_SIZE, 4, 1),
            new Op.QueueSetup(0, 1, 0, 0, 0, 1), new Op.Write(QUEUE_NUM, 8, 2), new Op.Notify(0)));

    @Test
    void aDeviceThatSplitsAWideWriteIsJudgedOnTheRingsItPlaces() {
        // QEMU's used ring for 2 entries at RAM+0 with QueueAlign 1 kept: 32 + 4 + 4 bytes in (0x28), before
        // used_event: its legacy deviation 12, named as such (waived for QEMU), no longer corruption.
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().splittingWideWrites().flippingAtNotify(0x28, 1), "qemu-legacy-like", 0)) {
            Complaint c = h.run(PROGRAM);
            assertThat(c).as(h.targetObservation().describe()).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:used-ring-before-used-event");
        }
        // The same device writing where the spec's layout puts that ring's flags (0x2a): nothing to say.
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().splittingWideWrites().flippingAtNotify(0x2a, 1), "qemu-legacy-like", 0)) {
            assertThat(h.run(PROGRAM)).as(h.targetObservation().describe()).isNull();
        }
    }

    @Test
    void aWriteWhereNoReadingPutsTheRingsIsStillCaught() {
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().splittingWideWrites().flippingAtNotify(0x100, 1), "qemu-legacy-like", 0)) {
            Complaint c = h.run(PROGRAM);
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
        }
    }
}
