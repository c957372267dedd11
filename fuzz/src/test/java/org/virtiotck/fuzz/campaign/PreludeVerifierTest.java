package org.virtiotck.fuzz.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.virtiotck.fuzz.exec.Complaint;
import org.virtiotck.fuzz.exec.Harness;
import org.virtiotck.fuzz.exec.SplitHeaderTest;
import org.virtiotck.fuzz.program.Op;
import org.virtiotck.fuzz.program.Program;
import org.virtiotck.reports.json.FuzzReport;
import org.virtiotck.spec.MmioRegister;
import org.virtiotck.tck.spi.Targets;

/**
 * The verifier with a prelude, against {@code broken-test:crash-after-wide-config-read} (the fuzz tests'
 * {@code BrokenTargetProvider}): a device that crashes at a QueueNotify only after an earlier program since its
 * power-on read the configuration space 8 bytes wide. Such a crash never reproduces alone; after the programs its
 * job ran before it, it does, and the verifier keeps exactly the program it needs.
 */
class PreludeVerifierTest {
    static final String URI = "broken-test:crash-after-wide-config-read";
    /** Reads the configuration space 8 bytes wide: what makes the next program's notify crash. */
    static final Program WIDE_READ = started(new Op.Read(MmioRegister.CONFIG, 8));
    static final Program QUEUE_NUM_MAX = started(new Op.Read(MmioRegister.QUEUE_NUM_MAX, 4));
    static final Program NARROW_READ = started(new Op.Read(MmioRegister.CONFIG, 4));
    static final Program NOTHING_MORE = started();
    /** Notifies queue 0 (nothing available): crashes only after {@link #WIDE_READ}. */
    static final Program NOTIFY = started(new Op.Notify(0));

    static Program started(Op... more) {
        List<Op> ops = SplitHeaderTest.started(0);
        ops.addAll(List.of(more));
        return new Program(ops);
    }

    /** What the verifier told its listener. */
    private static final class Verdicts implements FindingVerifier.Listener {
        final List<List<Program>> preludes = new ArrayList<>();
        final List<Minimizer.Result> results = new ArrayList<>();
        final List<int[]> flaky = new ArrayList<>();

        @Override
        public void reproduced(FindingVerifier.Candidate c, int replays, List<Program> prelude, Minimizer.Result m) {
            preludes.add(prelude);
            results.add(m);
        }

        @Override
        public void flaky(FindingVerifier.Candidate c, int replays, int alone, int afterPrelude) {
            flaky.add(new int[] {replays, alone, afterPrelude});
        }
    }

    private static CampaignConfig config() {
        return CampaignConfig.of(URI, Duration.ofSeconds(1), null, 1).withSettleMillis(0)
                .withMinimizeBudget(400, Duration.ofSeconds(30));
    }

    private static Verdicts verify(FindingVerifier.Candidate c) throws InterruptedException {
        Verdicts verdicts = new Verdicts();
        FindingVerifier v = new FindingVerifier(config(), verdicts);
        v.submit(c);
        assertThat(v.drain(120_000)).isTrue();
        return verdicts;
    }

    /** The complaint of {@code last} after {@code before} on a fresh target (null: none). */
    static Complaint run(List<Program> before, Program last) {
        try (Harness h = Harness.forTarget(Targets.open(URI), URI, 0)) {
            return PreludeReplay.run(h, before, last);
        }
    }

    @Test
    void theVariantCrashesOnlyAfterAnEarlierWideConfigRead() {
        assertThat(run(List.of(), NOTIFY)).isNull();
        assertThat(run(List.of(), WIDE_READ)).isNull();
        assertThat(run(List.of(QUEUE_NUM_MAX, NARROW_READ, NOTHING_MORE), NOTIFY)).isNull();
        assertThat(run(List.of(WIDE_READ), NOTIFY).signature()).isEqualTo("fault:CRASHED:notify");
        assertThat(run(List.of(WIDE_READ, NOTHING_MORE), NOTIFY).signature()).isEqualTo("fault:CRASHED:notify");
    }

    @Test
    void aCrashThatNeedsAnEarlierProgramIsAFindingWithExactlyThatProgramAsItsPrelude() throws Exception {
        Complaint crash = run(List.of(WIDE_READ), NOTIFY);
        List<Program> history = List.of(QUEUE_NUM_MAX, NARROW_READ, WIDE_READ, NOTHING_MORE);
        Verdicts v = verify(new FindingVerifier.Candidate(crash, NOTIFY, history, 10, 5));

        assertThat(v.flaky).isEmpty();
        assertThat(v.preludes).hasSize(2);
        assertThat(v.preludes.get(0)).as("before minimizing: the whole history").isEqualTo(history);
        assertThat(v.results.get(0)).isNull();
        assertThat(v.preludes.get(1)).as("after minimizing: only the program it needs").containsExactly(WIDE_READ);
        Minimizer.Result r = v.results.get(1);
        assertThat(r.reproduced()).isTrue();
        assertThat(r.program().size()).isLessThan(NOTIFY.size());
        assertThat(r.program().ops()).contains(new Op.Notify(0));
        assertThat(r.runs()).isGreaterThan(0);
        assertThat(run(List.of(WIDE_READ), r.program()).signature()).isEqualTo("fault:CRASHED:notify");
        assertThat(run(List.of(), r.program())).isNull();
    }

    @Test
    void aComplaintThatReproducesAloneGetsNoPrelude() throws Exception {
        // Read wide, reset, notify: the crash is this program's own.
        Program alone = started(new Op.Read(MmioRegister.CONFIG, 8), new Op.SetStatus(0), new Op.Notify(0));
        Complaint crash = run(List.of(), alone);
        assertThat(crash.signature()).isEqualTo("fault:CRASHED:notify");
        Verdicts v = verify(new FindingVerifier.Candidate(crash, alone, List.of(WIDE_READ, QUEUE_NUM_MAX), 10, 5));

        assertThat(v.flaky).isEmpty();
        assertThat(v.preludes).hasSize(2).allSatisfy(p -> assertThat(p).isEmpty());
        assertThat(v.results.get(1).reproduced()).isTrue();
    }

    @Test
    void aComplaintThatReproducesNeitherWayStaysFlakyWithBothRates() throws Exception {
        Complaint crash = run(List.of(WIDE_READ), NOTIFY);
        List<Program> history = List.of(QUEUE_NUM_MAX, NARROW_READ); // the program it needed is not among them
        FindingVerifier.Candidate c = new FindingVerifier.Candidate(crash, NOTIFY, history, 10, 5);
        Verdicts v = verify(c);

        assertThat(v.preludes).isEmpty();
        assertThat(v.flaky).hasSize(1);
        assertThat(v.flaky.get(0)).containsExactly(3, 0, 0);
        FuzzReport.FlakyEntry f = new FindingRecords(config()).flaky(c, 3, 0, 0);
        assertThat(f.reproducedReplays()).isZero();
        assertThat(f.preludeReproducedReplays()).isZero();
        assertThat(f.prelude()).hasSize(2);
        assertThat(f.rate()).isZero();
        assertThat(FindingRecords.flakyLine(c, f)).contains("reproduced 0/3 alone and 0/3 after the 2 program(s)");
    }

    @Test
    void withoutAHistoryANonReproducingComplaintIsFlakyAsBefore() throws Exception {
        Complaint crash = run(List.of(WIDE_READ), NOTIFY);
        FindingVerifier.Candidate c = new FindingVerifier.Candidate(crash, NOTIFY, List.of(), 10, 5);
        Verdicts v = verify(c);

        assertThat(v.flaky).hasSize(1);
        assertThat(v.flaky.get(0)).containsExactly(3, 0, -1);
        FuzzReport.FlakyEntry f = new FindingRecords(config()).flaky(c, 3, 0, -1);
        assertThat(f.preludeReproducedReplays()).isNull();
        assertThat(f.prelude()).isNull();
    }
}
