package org.virtiotck.fuzz.exec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.program.Program;

/**
 * QEMU 7.2 legacy campaign finding {@code ff84ee414} (fourth legacy campaign, 3 of 3, 3 ops): GuestPageSize 1 and
 * a queue of 2 placed 41 bytes before the end of the checked arena with QueueAlign 1, so the available ring the
 * executor zeroes starts inside the arena and ends past it. That write went to the target only, not through the
 * shadow, and against an asynchronous target (a settle time, as for QEMU; the shadow is then flushed op by op)
 * the canary check took the program's own zeros for the device's writes.
 */
class ArenaEndTest {

    static Program program() {
        return TestPrograms.load("qemu-legacy-rings-at-arena-end-program.json");
    }

    @Test
    void aWriteAcrossTheArenaEndIsTheProgramsOwn() {
        Program p = program();
        assertThat(p.get(1).toString()).contains("desc=65495");
        try (Harness h = Harness.forTarget(QemuLikeTarget.legacy().queueNumMax1024(), "qemu-legacy-like", 5)) {
            assertThat(h.run(p)).as(h.targetObservation().describe()).isNull();
            assertThat(h.run(p)).as("again").isNull();
        }
    }
}
