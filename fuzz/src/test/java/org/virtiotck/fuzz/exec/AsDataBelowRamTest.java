package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.spec.SplitRing;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * QEMU 7.2 campaign finding {@code ff84ee414} (a form found in the third session of 2026-12-06, 3 of 3): a chain whose second
 * descriptor is WRITE|INDIRECT with a table from RAM-15 to RAM+1. QEMU honours INDIRECT only on a chain's head, so
 * it takes that table for a writable buffer and puts the status byte in its last byte: RAM+0 (deviation 6 of
 * docs/qemu-7.2-findings.md, split.dev.8). The oracle marked such a table as-data only when it began inside RAM,
 * so the write was called a canary violation (split.dev.3). A target that writes as QEMU does is named by the
 * deviation now; a byte past every ring and buffer of any view of the queue is still a canary violation.
 */
class AsDataBelowRamTest {

    static Program program() throws IOException {
        try (InputStream in = AsDataBelowRamTest.class.getResourceAsStream("qemu-as-data-below-ram-program.json")) {
            return ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The reference device, plus a status byte (UNSUPP) written at {@code ramOffset} at every notify. */
    private static Target writingStatusAt(long ramOffset) {
        Target reference = Targets.open("reference");
        return new ForwardingTarget(reference) {
            @Override
            public void write(long offset, int width, long value) {
                inner.write(offset, width, value);
                if (offset == QUEUE_NOTIFY) {
                    inner.writeMemory(inner.ram().base() + ramOffset, new byte[] {2}, 0, 1);
                }
            }
        };
    }

    @ParameterizedTest
    @CsvSource({"0, canary:indirect-after-head-written-as-data, split.dev.8",
        "2304, canary:outside-writable, split.dev.3"})
    void theLastByteOfAnIndirectTableStartingBelowRamIsDataNotCanary(long at, String signature, String id)
            throws IOException {
        Program p = program();
        Op.Descriptor table = (Op.Descriptor) p.get(4);
        assertThat(table.addr()).isEqualTo(-15);
        assertThat(table.flags()).isEqualTo(SplitRing.DESC_F_WRITE | SplitRing.DESC_F_INDIRECT);
        try (Harness h = Harness.forTarget(writingStatusAt(at), "qemu-like", 0)) {
            Complaint c = h.run(p);
            assertThat(c).as(h.targetObservation().describe()).isNotNull();
            assertThat(c.signature()).isEqualTo(signature);
            assertThat(c.requirementIds()).containsExactly(id);
        }
        try (Harness h = Harness.forTarget(Targets.open("reference"), "reference", 0)) {
            assertThat(h.run(p)).as("the reference device writes neither byte").isNull();
        }
    }
}
