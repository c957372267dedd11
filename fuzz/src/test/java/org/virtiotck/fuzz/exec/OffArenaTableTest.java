package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.GUEST_PAGE_SIZE;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;

/**
 * QEMU 7.2 legacy campaign finding {@code ff84ee414} (fifth legacy campaign, 3 of 3 after one earlier program):
 * a queue of one entry whose descriptor table lies just past the checked arena, its descriptor INDIRECT (not
 * negotiated: split.drv.6) pointing to a table in the arena whose last entry is a writable byte at RAM+0. QEMU
 * served the chain and wrote the status there. The executor read chains only from its shadow of the arena, so it
 * never saw that chain's buffers; it now reads a descriptor outside the arena from guest RAM.
 */
class OffArenaTableTest {
    private static final Program PROGRAM = new Program(List.of(new Op.Write(GUEST_PAGE_SIZE, 4, 4096),
            new Op.QueueSetup(0, 1, Executor.ARENA, 0, 0, 4096),
            new Op.IndirectTable(4720, List.of(new Op.Entry(0, 1, 1, 1), new Op.Entry(0, 15, 1, 2),
                    new Op.Entry(0, 1, 2, 0))),
            new Op.Descriptor(0, 0, 4720, 48, 4, 0), new Op.Avail(0, 0), new Op.Notify(0)));

    @Test
    void aChainWhoseDescriptorLiesOutsideTheArenaMayHaveItsBuffersWritten() {
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().flippingAtNotify(0, 1), "qemu-legacy-like", 0)) {
            assertThat(h.run(PROGRAM)).as(h.targetObservation().describe()).isNull();
        }
    }

    @Test
    void aWriteOutsideThatChainsBuffersIsStillCaught() {
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().flippingAtNotify(0x20, 1), "qemu-legacy-like", 0)) {
            Complaint c = h.run(PROGRAM);
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
        }
    }
}
