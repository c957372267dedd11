package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;

/**
 * QEMU 7.2 legacy campaign finding {@code ff84ee414} (first legacy campaign, 3 of 3): GuestPageSize 4096, queue 0
 * set up with QueueNum 0 and QueuePFN at the start of RAM (QueueAlign 4096), EVENT_IDX accepted, requests
 * notified. QEMU refuses the QueueNum of 0 and keeps its queue's default size, 256, while QueueNumMax reads 1024;
 * on the legacy interface the size places the rings (§2.7.2), so its used ring lay at RAM+0x2000 and it wrote
 * avail_event at RAM+0x2804. The harness's only kept-size view took QueueNumMax as the size (used ring at
 * RAM+0x5000) and called the write corruption. A device that writes where no size would put its rings still is.
 */
class LegacyOwnSizeTest {

    static Program program() {
        return TestPrograms.load("qemu-legacy-own-size-program.json");
    }

    @Test
    void aLegacyDeviceThatKeptASizeOfItsOwnMayWriteTheUsedRingThatSizePlaces() {
        Program p = program();
        assertThat(p.get(12)).isEqualTo(new Op.QueueSetup(0, 0, 0, 128, 4096, 4096));
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().queueNumMax1024().flippingAtNotify(0x2804, 2), "qemu-legacy-like", 0)) {
            assertThat(h.run(p)).as(h.targetObservation().describe()).isNull();
        }
    }

    @Test
    void aWriteWhereNoSizeWouldPutTheRingsIsStillCaught() {
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().queueNumMax1024().flippingAtNotify(0x2900, 2), "qemu-legacy-like", 0)) {
            Complaint c = h.run(program());
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
        }
    }
}
