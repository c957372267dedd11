package org.virtiotck.fuzz.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.tck.spi.Targets;

/** A job's history: the last programs since its harness's last hard reset, oldest first, bounded. */
class HistoryTest {
    private static Program p(int n) {
        return new Program(List.of(new Op.Read(n * 4, 4)));
    }

    @Test
    void keepsTheLastProgramsOldestFirst() {
        History h = new History(3);
        assertThat(h.programs()).isEmpty();
        h.add(p(1));
        h.add(p(2));
        assertThat(h.programs()).containsExactly(p(1), p(2));
        h.add(p(3));
        h.add(p(4));
        h.add(p(5));
        assertThat(h.programs()).containsExactly(p(3), p(4), p(5));
    }

    @Test
    void forgetsEverythingAtAHardResetAndKeepsNothingWithNoRoom() {
        History h = new History(3);
        h.sync(0);
        h.add(p(1));
        h.add(p(2));
        h.sync(0);
        assertThat(h.programs()).containsExactly(p(1), p(2));
        h.sync(1);
        assertThat(h.programs()).isEmpty();
        h.add(p(3));
        assertThat(h.programs()).containsExactly(p(3));

        History none = new History(0);
        none.add(p(1));
        assertThat(none.programs()).isEmpty();
    }

    @Test
    void theHarnessCountsTheHardResetItMakesAfterACrash() {
        String uri = PreludeVerifierTest.URI;
        try (Harness h = Harness.forTarget(Targets.open(uri), uri, 0)) {
            h.run(PreludeVerifierTest.WIDE_READ);
            assertThat(h.run(PreludeVerifierTest.NOTIFY).signature()).isEqualTo("fault:CRASHED:notify");
            assertThat(h.hardResets()).isZero(); // the crash asks for one before the next run
            assertThat(h.run(PreludeVerifierTest.NOTIFY)).as("a fresh device again").isNull();
            assertThat(h.hardResets()).isEqualTo(1);
        }
    }
}
