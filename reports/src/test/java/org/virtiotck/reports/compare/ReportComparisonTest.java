package org.virtiotck.reports.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.virtiotck.reports.SampleReports.PKG;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.virtiotck.reports.Fixtures;
import org.virtiotck.reports.SampleReports;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

class ReportComparisonTest {

    private static RunReport run(List<TestOutcome> outcomes) {
        return RunReport.of(SampleReports.REGISTRY, SampleReports.TOOL, SampleReports.TARGET, SampleReports.START,
                SampleReports.START.plusSeconds(1), null, outcomes, List.of());
    }

    /** One test of the two runs: its verdict in the old and in the new one (null: not in that run). */
    private record Change(String testId, Verdict before, Verdict after, String requirementId) {
    }

    /** The run holding each change's test with its verdict on {@code side}, in the changes' order. */
    private static RunReport run(List<Change> changes, Function<Change, Verdict> side) {
        return run(changes.stream().filter(c -> side.apply(c) != null)
                .map(c -> Fixtures.outcome(c.testId(), side.apply(c), c.requirementId())).toList());
    }

    @Test
    void findsNewFailuresFixesAndStillFailing() {
        List<Change> changes = List.of(
                new Change("A#passesThenFails", Verdict.PASS, Verdict.FAIL, "mmio.dev.1"),
                new Change("B#failsThenPasses", Verdict.FAIL, Verdict.PASS, "mmio.dev.2"),
                new Change("C#failsTwice", Verdict.CRASH, Verdict.HANG, "mmio.dev.3"),
                new Change("D#skippedThenPasses", Verdict.SKIP, Verdict.PASS, "blk.dev.1"),
                new Change("E#removed", Verdict.PASS, null, "blk.dev.2"),
                new Change("F#brandNewAndBroken", null, Verdict.ERROR, "split.dev.1"));
        Comparison c = ReportComparison.compare(run(changes, Change::before), run(changes, Change::after));
        assertThat(c.hasRegressions()).isTrue();
        assertThat(c.newFailures()).extracting(Comparison.TestChange::testId)
                .containsExactly("A#passesThenFails", "F#brandNewAndBroken");
        assertThat(c.newFailures().get(1).before()).isNull();
        assertThat(c.fixes()).extracting(Comparison.TestChange::testId).containsExactly("B#failsThenPasses");
        assertThat(c.stillFailing()).singleElement().satisfies(t -> {
            assertThat(t.before()).isEqualTo(Verdict.CRASH);
            assertThat(t.after()).isEqualTo(Verdict.HANG);
        });
        assertThat(c.otherChanges()).extracting(t -> t.testId() + ":" + t.before() + "->" + t.after())
                .containsExactly("D#skippedThenPasses:SKIP->PASS", "E#removed:PASS->null");
        assertThat(c.newlyFailingRequirementIds()).containsExactly("mmio.dev.1", "split.dev.1");
        assertThat(c.fixedRequirementIds()).containsExactly("mmio.dev.2");
        assertThat(c.newlyCovered()).containsExactly("blk.dev.1");
        assertThat(c.noLongerCovered()).as("ERROR does not cover; E is gone").containsExactly("blk.dev.2");
        assertThat(c.coverageAfter().covered()).isEqualTo(c.coverageBefore().covered());

        String text = ComparisonTextRenderer.render(c);
        assertThat(text).startsWith("REGRESSIONS: 2 new failing tests\n")
                .contains("PASS    -> FAIL    A#passesThenFails  [mmio.dev.1]")
                .contains("(none)  -> ERROR   F#brandNewAndBroken")
                .contains("Fixes (1):\n  FAIL    -> PASS    B#failsThenPasses")
                .contains("Requirements newly covered (1): blk.dev.1")
                .contains("overall");
    }

    @Test
    void identicalRunsHaveNoRegressionsAndWaivedToFailIsOne() {
        Comparison same = ReportComparison.compare(SampleReports.failing(), SampleReports.failing());
        assertThat(same.hasRegressions()).isFalse();
        assertThat(same.stillFailing()).hasSize(4);
        assertThat(same.fixes()).isEmpty();
        assertThat(same.otherChanges()).isEmpty();
        assertThat(ComparisonTextRenderer.render(same)).startsWith("NO REGRESSIONS\n");

        Comparison c = ReportComparison.compare(SampleReports.passing(), SampleReports.failing());
        assertThat(c.newFailures()).extracting(Comparison.TestChange::testId).containsExactly(
                PKG + "MmioRegisterSuite#versionIsTwo", PKG + "FeatureNegotiationSuite#anyValidSubsetIsAccepted",
                PKG + "SplitQueueSuite#chainSplitDoesNotMatter", PKG + "BlkRequestSuite#writebackStartsAtZero");
        assertThat(c.newFailures().getFirst().message()).contains("<script>");
        assertThat(c.otherChanges()).extracting(Comparison.TestChange::after).containsExactly(Verdict.WAIVED);
        assertThat(c.noLongerCovered()).containsExactly("blk.dev.3");

        List<TestOutcome> unwaived = new ArrayList<>(SampleReports.failing().outcomes());
        unwaived.replaceAll(o -> o.verdict() == Verdict.WAIVED
                ? Fixtures.outcome(o.testId(), o.waivedFrom(), o.requirementIds().toArray(String[]::new)) : o);
        Comparison waiverDropped = ReportComparison.compare(SampleReports.failing(), run(unwaived));
        assertThat(waiverDropped.newFailures()).extracting(Comparison.TestChange::before)
                .containsExactly(Verdict.WAIVED);
    }

    @Test
    void repeatedTestIdsCountByTheirWorstVerdict() {
        RunReport old = run(List.of(Fixtures.outcome("R#t", Verdict.PASS, "mmio.dev.1")));
        RunReport now = run(List.of(Fixtures.outcome("R#t", Verdict.PASS, "mmio.dev.1"),
                Fixtures.outcome("R#t", Verdict.FAIL, "mmio.dev.1")));
        assertThat(ReportComparison.compare(old, now).newFailures()).hasSize(1);
    }
}
