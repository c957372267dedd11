package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;

/**
 * QEMU 7.2 legacy campaign finding {@code ff84ee414} (third legacy campaign, 3 of 3, 4 ops): EVENT_IDX accepted,
 * GuestPageSize 1, queue 0 at RAM+0 with QueueNum 0 and QueueAlign 3, a notify. QueueAlign must be a power of two
 * (mmio-legacy.drv.3); QEMU takes 3 as it stands and rounds the used ring up to a multiple of 3 in guest-physical
 * addresses: with its own size of 256 the used ring starts at RAM+0x1205 and avail_event lies at RAM+0x1a09, where
 * it wrote. The harness's views fell back to 4096 for such an alignment and called that corruption.
 */
class LiteralQueueAlignTest {

    static Program program() {
        return TestPrograms.load("qemu-legacy-literal-align-program.json");
    }

    @Test
    void aQueueAlignThatIsNotAPowerOfTwoMayBeTakenAsItStands() {
        Program p = program();
        assertThat(p.get(2)).isEqualTo(new Op.QueueSetup(0, 0, 0, 0, 0, 3));
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().queueNumMax1024().flippingAtNotify(0x1a09, 2), "qemu-legacy-like", 0)) {
            assertThat(h.run(p)).as(h.targetObservation().describe()).isNull();
        }
    }

    @Test
    void aWriteWhereNoReadingOfItPutsTheUsedRingIsStillCaught() {
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().queueNumMax1024().flippingAtNotify(0xe00, 2), "qemu-legacy-like", 0)) {
            Complaint c = h.run(program());
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
        }
    }
}
