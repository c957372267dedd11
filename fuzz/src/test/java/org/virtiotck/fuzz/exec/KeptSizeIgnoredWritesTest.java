package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * QEMU 7.2 campaign finding {@code ff84ee414} (a form found in the third session of 2026-12-06, 3 of 3): QueueNum 0 and
 * every ring at RAM+0, QueueReady 1, the layout written again while live (QueueNum 0, used ring at RAM+1), a
 * notify. QEMU's modern virtio-mmio takes ring addresses only at a QueueReady of 1 and ignores a QueueNum it cannot
 * take (it keeps its default size), so its used ring stayed at RAM+0 with a size of its own, and it wrote the
 * ring's flags there. No view of the harness had that pair (live writes ignored, own size kept): the write was
 * called a canary violation. The device that writes the same byte when its used ring was never there still is.
 */
class KeptSizeIgnoredWritesTest {

    static Program program() throws IOException {
        try (InputStream in = KeptSizeIgnoredWritesTest.class.getResourceAsStream(
                "qemu-size-kept-writes-ignored-program.json")) {
            return ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The reference device, plus what QEMU did: at a notify, the used ring's flags at RAM+0 cleared. */
    private static Target clearingFlagsAtRamZero() {
        return new ForwardingTarget(Targets.open("reference")) {
            @Override
            public void write(long offset, int width, long value) {
                inner.write(offset, width, value);
                if (offset == QUEUE_NOTIFY) {
                    inner.writeMemory(inner.ram().base(), new byte[] {0, 0}, 0, 2);
                }
            }
        };
    }

    @Test
    void aDeviceThatKeptItsSizeAndIgnoredTheLiveRewriteMayWriteTheUsedRingWhereItWasMadeLive() throws IOException {
        Program p = program();
        assertThat(p.get(0)).isEqualTo(new Op.QueueSetup(0, 0, 0, 0, 0));
        assertThat(p.get(2)).isEqualTo(new Op.QueueSetup(0, 0, 0, 0, 1));
        try (Harness h = Harness.forTarget(clearingFlagsAtRamZero(), "qemu-like", 0)) {
            assertThat(h.run(p)).as(h.targetObservation().describe()).isNull();
        }
    }

    @Test
    void theSameWriteIsStillCaughtWhenNoViewEverHadTheUsedRingThere() throws IOException {
        List<Op> ops = new ArrayList<>(program().ops());
        ops.set(0, new Op.QueueSetup(0, 0, 0, 0, 0x100));
        ops.set(2, new Op.QueueSetup(0, 0, 0, 0, 0x101));
        try (Harness h = Harness.forTarget(clearingFlagsAtRamZero(), "qemu-like", 0)) {
            Complaint c = h.run(new Program(ops));
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
        }
    }
}
