package org.virtiotck.fuzz.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.Targets;

/**
 * Minimizing against a target that keeps state over a device reset ({@code broken-test:crash-after-wide-config-read},
 * as QEMU 7.2 keeps some): candidates run from a device reset, so a candidate may fail only because an earlier
 * candidate left the target armed. Such a candidate must not be kept; before, ddmin kept it, the result did not
 * reproduce from a fresh target, and the minimizer gave the whole program back (QEMU legacy campaign: "35 ops
 * after minimizing 35").
 */
class MinimizerStateTest {
    private static final Op WIDE_READ = new Op.Read(MmioRegister.CONFIG, 8);
    private static final Op RESET = new Op.SetStatus(0);
    private static final Op NOTIFY = new Op.Notify(0);

    @Test
    void theResultReproducesFromAFreshTargetAndKeepsWhatTheFailureNeeds() {
        Program failing = PreludeVerifierTest.started(new Op.Read(MmioRegister.QUEUE_NUM_MAX, 4), WIDE_READ,
                new Op.Read(MmioRegister.STATUS, 4), RESET, new Op.Read(MmioRegister.VERSION, 4), NOTIFY);
        try (Harness h = Harness.forTarget(Targets.open(PreludeVerifierTest.URI), PreludeVerifierTest.URI, 0)) {
            Minimizer m = new Minimizer(h, 2000, Duration.ofSeconds(60));
            Complaint first = m.replay(failing);
            assertThat(first).isNotNull();
            Minimizer.Result r = m.minimize(failing, first.signature());
            assertThat(r.reproduced()).isTrue();
            assertThat(r.program().ops()).containsExactly(WIDE_READ, RESET, NOTIFY);
            assertThat(PreludeVerifierTest.run(List.of(), r.program())).isNotNull();
        }
    }
}
