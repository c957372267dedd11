package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.spec.MmioRegister.QUEUE_NUM_MAX;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.fuzz.program.ProgramJson;
import org.virtiotck.tck.spi.ForwardingTarget;
import org.virtiotck.tck.spi.Target;
import org.virtiotck.tck.spi.Targets;

/**
 * QEMU 7.2 legacy campaign finding {@code ff84ee414} (fourth legacy campaign, 3 of 3, 3 ops): GuestPageSize 1 and
 * a queue of 2 placed 41 bytes before the end of the checked arena with QueueAlign 1, so the available ring the
 * executor zeroes starts inside the arena and ends past it. That write went to the target only, not through the
 * shadow, and against an asynchronous target (a settle time, as for QEMU; the shadow is then flushed op by op)
 * the canary check took the program's own zeros for the device's writes.
 */
class ArenaEndTest {

    static Program program() throws IOException {
        try (InputStream in = ArenaEndTest.class.getResourceAsStream("qemu-legacy-rings-at-arena-end-program.json")) {
            return ProgramJson.fromJson(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** The legacy reference device reporting QEMU's QueueNumMax (its own is smaller). */
    private static Target qemuQueueNumMax() {
        return new ForwardingTarget(Targets.open("reference:legacy")) {
            @Override
            public long read(long offset, int width) {
                long v = inner.read(offset, width);
                return offset == QUEUE_NUM_MAX && v != 0 ? 1024 : v;
            }
        };
    }

    @Test
    void aWriteAcrossTheArenaEndIsTheProgramsOwn() throws IOException {
        Program p = program();
        assertThat(p.get(1).toString()).contains("desc=65495");
        try (Harness h = Harness.forTarget(qemuQueueNumMax(), "qemu-legacy-like", 5)) {
            assertThat(h.run(p)).as(h.targetObservation().describe()).isNull();
            assertThat(h.run(p)).as("again").isNull();
        }
    }
}
