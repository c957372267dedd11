package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.QUEUE_NOTIFY;
import static org.virtiotck.spec.MmioRegister.QUEUE_NUM_MAX;

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
 * QEMU 7.2 legacy campaign finding {@code ff84ee414} (first legacy campaign, 3 of 3): GuestPageSize 4096, queue 0
 * set up with QueueNum 0 and QueuePFN at the start of RAM (QueueAlign 4096), EVENT_IDX accepted, requests
 * notified. QEMU refuses the QueueNum of 0 and keeps its queue's default size, 256, while QueueNumMax reads 1024;
 * on the legacy interface the size places the rings (§2.7.2), so its used ring lay at RAM+0x2000 and it wrote
 * avail_event at RAM+0x2804. The harness's only kept-size view took QueueNumMax as the size (used ring at
 * RAM+0x5000) and called the write corruption. A device that writes where no size would put its rings still is.
 */
class LegacyOwnSizeTest {

    static Program program() throws IOException {
        try (InputStream in = LegacyOwnSizeTest.class.getResourceAsStream("qemu-legacy-own-size-program.json")) {
            return ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The legacy reference device reporting QEMU's QueueNumMax and, at each notify, changing 2 bytes at {@code at}. */
    private static Target writingAt(long at) {
        return new ForwardingTarget(Targets.open("reference:legacy")) {
            @Override
            public long read(long offset, int width) {
                long v = inner.read(offset, width);
                return offset == QUEUE_NUM_MAX && v != 0 ? 1024 : v;
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
    void aLegacyDeviceThatKeptASizeOfItsOwnMayWriteTheUsedRingThatSizePlaces() throws IOException {
        Program p = program();
        assertThat(p.get(12)).isEqualTo(new Op.QueueSetup(0, 0, 0, 128, 4096, 4096));
        try (Harness h = Harness.forTarget(writingAt(0x2804), "qemu-legacy-like", 0)) {
            assertThat(h.run(p)).as(h.targetObservation().describe()).isNull();
        }
    }

    @Test
    void aWriteWhereNoSizeWouldPutTheRingsIsStillCaught() throws IOException {
        try (Harness h = Harness.forTarget(writingAt(0x2900), "qemu-legacy-like", 0)) {
            Complaint c = h.run(program());
            assertThat(c).isNotNull();
            assertThat(c.signature()).isEqualTo("canary:outside-writable");
        }
    }
}
