package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * QEMU 7.2 legacy campaign finding {@code ff84ee414} (third legacy campaign, 3 of 3, 4 ops): EVENT_IDX accepted,
 * GuestPageSize 1, queue 0 at RAM+0 with QueueNum 0 and QueueAlign 3, a notify. QueueAlign must be a power of two
 * (mmio-legacy.drv.3); QEMU takes 3 as it stands and rounds the used ring up to a multiple of 3 in guest-physical
 * addresses: with its own size of 256 the used ring starts at RAM+0x1205 and avail_event lies at RAM+0x1a09, where
 * it wrote. The harness's views fell back to 4096 for such an alignment and called that corruption.
 */
class LiteralQueueAlignTest {

    static Program program() throws IOException {
        try (InputStream in = LiteralQueueAlignTest.class.getResourceAsStream("qemu-legacy-literal-align-program.json")) {
            return ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The legacy reference device reporting QEMU's QueueNumMax and changing 2 bytes at {@code at} at each notify. */
    private static Target writingAt(long at) {
        return new ForwardingTarget(Targets.open("reference:legacy")) {
            @Override
            public long read(long offset, int width) {
                long v = inner.read(offset, width);
                return offset == org.virtiotck.spec.MmioRegister.QUEUE_NUM_MAX && v != 0 ? 1024 : v;
            }

            @Override
            public void write(long offset, int width, long value) {
                inner.write(offset, width, value);
                if (offset == QUEUE_NOTIFY) {
                    byte[] b = new byte[2];
                    inner.readMemory(inner.ram().base() + at, b, 0, 2);
                    b[0] ^= (byte) 0xff;
                    b[1] ^= (byte) 0xff;
                    inner.writeMemory(inner.ram().base() + at, b, 0, 2);
                }
            }
        };
    }

    @Test
    void aQueueAlignThatIsNotAPowerOfTwoMayBeTakenAsItStands() throws IOException {
        Program p = program();
        assertThat(p.get(2)).isEqualTo(new Op.QueueSetup(0, 0, 0, 0, 0, 3));
        try (Harness h = Harness.forTarget(writingAt(0x1a09), "qemu-legacy-like", 0)) {
            assertThat(h.run(p)).as(h.targetObservation().describe()).isNull();
        }
    }

    @Test
    void aWriteWhereNoReadingOfItPutsTheUsedRingIsStillCaught() throws IOException {
        try (Harness h = Harness.forTarget(writingAt(0xe00), "qemu-legacy-like", 0)) {
            Complaint c = h.run(program());
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
        }
    }
}
