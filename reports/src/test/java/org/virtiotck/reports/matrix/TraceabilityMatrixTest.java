package org.virtiotck.reports.matrix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.virtiotck.reports.Fixtures.outcome;

import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.virtiotck.reports.Fixtures;
import org.virtiotck.reports.Requirement;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

class TraceabilityMatrixTest {

    private static final RequirementRegistry SMALL = Fixtures.registry(
            "a.dev.1 device MUST yes",
            "a.dev.2 device MUST partly",
            "a.dev.3 device MAY no",
            "a.drv.1 driver MUST yes",
            "a-desc.dev.1 device MUST yes",
            "a-legacy.dev.1 device MUST yes",
            "mmio-legacy.dev.1 device MUST yes",
            "b.dev.1 device MUST yes");

    private static final List<TestOutcome> OUTCOMES = List.of(
            outcome("T#pass", Verdict.PASS, "a.dev.1", "a.drv.1"),
            outcome("T#fail", Verdict.FAIL, "a.dev.1"),
            outcome("T#pass", Verdict.PASS, "a.dev.1"),
            outcome("T#skip", Verdict.SKIP, "a.dev.2"),
            outcome("T#error", Verdict.ERROR, "a-desc.dev.1"),
            outcome("T#waived", Verdict.CRASH, "a-legacy.dev.1").waive("known"),
            outcome("T#typo", Verdict.PASS, "zz.dev.9", "a.dev.3"));

    private static final TraceabilityMatrix MATRIX = TraceabilityMatrix.build(SMALL, OUTCOMES);

    @Test
    void rowsFollowCatalogOrderWithDistinctTests() {
        assertThat(MATRIX.rows()).extracting(RequirementRow::id).containsExactlyElementsOf(SMALL.ids());
        RequirementRow a1 = MATRIX.row("a.dev.1");
        assertThat(a1.testIds()).containsExactly("T#pass", "T#fail");
        assertThat(a1.status()).isEqualTo(RequirementStatus.FAIL);
        assertThat(a1.exercised()).isTrue();
        assertThat(MATRIX.row("a.dev.2").status()).isEqualTo(RequirementStatus.SKIP);
        assertThat(MATRIX.row("a.dev.2").exercised()).isFalse();
        assertThat(MATRIX.row("a-desc.dev.1").status()).isEqualTo(RequirementStatus.ERROR);
        assertThat(MATRIX.row("a-legacy.dev.1").status()).isEqualTo(RequirementStatus.WAIVED);
        assertThat(MATRIX.row("b.dev.1").status()).isEqualTo(RequirementStatus.NOT_COVERED);
        assertThat(MATRIX.row("b.dev.1").testIds()).isEmpty();
        assertThatThrownBy(() -> MATRIX.row("zz.dev.9")).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void unknownIdsAreReportedNotDropped() {
        assertThat(MATRIX.unknownRequirementIds()).containsExactly("zz.dev.9");
        assertThat(MATRIX.row("a.dev.3").status()).isEqualTo(RequirementStatus.PASS);
    }

    @Test
    void statusCountsCoverEveryRequirement() {
        assertThat(MATRIX.statusCounts()).containsEntry(RequirementStatus.FAIL, 1)
                .containsEntry(RequirementStatus.PASS, 2)
                .containsEntry(RequirementStatus.SKIP, 1)
                .containsEntry(RequirementStatus.ERROR, 1)
                .containsEntry(RequirementStatus.WAIVED, 1)
                .containsEntry(RequirementStatus.NOT_COVERED, 2)
                .containsEntry(RequirementStatus.CRASH, 0)
                .hasSize(RequirementStatus.values().length);
    }

    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource({
            "FAIL, CRASH, FAIL", "FAIL, PASS, FAIL", "CRASH, HANG, CRASH", "HANG, WAIVED, HANG",
            "CRASH, WAIVED, CRASH", "WAIVED, PASS, WAIVED", "PASS, SKIP, PASS", "ERROR, PASS, ERROR",
            "HANG, ERROR, HANG", "ERROR, WAIVED, ERROR", "SKIP, SKIP, SKIP"})
    void aggregateTakesTheStrongestVerdict(Verdict first, Verdict second, RequirementStatus expected) {
        var registry = Fixtures.registry("a.dev.1 device MUST yes");
        TestOutcome one = verdict("T#1", first);
        TestOutcome two = verdict("T#2", second);
        assertThat(TraceabilityMatrix.build(registry, List.of(one, two)).row("a.dev.1").status()).isEqualTo(expected);
        assertThat(TraceabilityMatrix.build(registry, List.of(two, one)).row("a.dev.1").status()).isEqualTo(expected);
    }

    private static TestOutcome verdict(String testId, Verdict verdict) {
        return verdict == Verdict.WAIVED ? outcome(testId, Verdict.FAIL, "a.dev.1").waive("r")
                : outcome(testId, verdict, "a.dev.1");
    }

    @Test
    void coverageByAreaCountsOnlyDeviceTestableRowsOfThatExactArea() {
        Coverage c = MATRIX.coverage(CoverageMode.AREA, List.of("a", "b"));
        assertThat(c.areas()).containsExactly(
                new AreaCoverage("a", 2, 1, 1, List.of(), 50.0),
                new AreaCoverage("b", 1, 0, 0, List.of("b.dev.1"), 0.0));
        assertThat(c.testable()).isEqualTo(3);
        assertThat(c.covered()).isEqualTo(1);
        assertThat(c.notRun()).isEqualTo(1);
        assertThat(c.notRunIds()).containsExactly("a.dev.2");
        assertThat(c.uncovered()).containsExactly("b.dev.1");
        assertThat(c.percent()).isCloseTo(100.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void coverageByFamilyFoldsDescAndLegacyButKeepsMmioLegacyApart() {
        Coverage c = MATRIX.coverage(CoverageMode.FAMILY, List.of("a", "mmio-legacy", "b"));
        AreaCoverage a = c.areas().getFirst();
        assertThat(a.testable()).as("a.dev.1, a.dev.2, a-desc.dev.1, a-legacy.dev.1").isEqualTo(4);
        assertThat(a.covered()).as("FAIL and WAIVED count, SKIP and ERROR do not").isEqualTo(2);
        assertThat(a.notRun()).isEqualTo(2);
        assertThat(a.percent()).isEqualTo(50.0);
        assertThat(c.areas().get(1)).isEqualTo(new AreaCoverage("mmio-legacy", 1, 0, 0,
                List.of("mmio-legacy.dev.1"), 0.0));
        assertThat(c.uncovered()).containsExactly("mmio-legacy.dev.1", "b.dev.1");
        assertThat(c.notRunIds()).containsExactly("a.dev.2", "a-desc.dev.1");
        assertThat(c.covered() + c.notRun() + c.uncovered().size()).isEqualTo(c.testable()).isEqualTo(6);
    }

    @Test
    void anAreaWithNothingTestableIsVacuouslyComplete() {
        Coverage c = MATRIX.coverage(CoverageMode.AREA, List.of("a-legacy", "nothing"));
        assertThat(c.areas().get(1)).isEqualTo(new AreaCoverage("nothing", 0, 0, 0, List.of(), 100.0));
        assertThat(c.testable()).isEqualTo(1);
        assertThat(c.percent()).isEqualTo(100.0);
    }

    @Test
    void defaultAreasOnTheRealCatalogStartUncovered() {
        RequirementRegistry registry = RequirementRegistry.load();
        TraceabilityMatrix empty = TraceabilityMatrix.build(registry, List.of());
        for (CoverageMode mode : CoverageMode.values()) {
            Coverage c = empty.coverage(mode);
            long expected = registry.all().stream().filter(Requirement::isDeviceTestable)
                    .filter(r -> TraceabilityMatrix.DEFAULT_AREAS.contains(mode == CoverageMode.AREA
                            ? r.area() : RequirementRegistry.areaFamily(r.id())))
                    .count();
            assertThat(c.testable()).as(mode.name()).isEqualTo(expected);
            assertThat(c.uncovered()).hasSize(c.testable());
            assertThat(c.percent()).isZero();
        }
        assertThat(empty.coverage(CoverageMode.AREA).testable()).isEqualTo(98);
        assertThat(empty.coverage(CoverageMode.FAMILY).testable()).isEqualTo(144);
    }

    @Test
    void textRendererPrintsTableCoverageAndGaps() {
        String text = TextMatrixRenderer.render(MATRIX, List.of("a", "b", "mmio-legacy"));
        assertThat(text).contains("id                 level       section  status       tests")
                .contains("a.dev.1            MUST        9.9      FAIL         T#pass, T#fail")
                .contains("b.dev.1            MUST        9.9      NOT_COVERED\n")
                .contains("Coverage of device-testable requirements, by area\n")
                .containsPattern("a\\s+2\\s+1\\s+1\\s+0\\s+50\\.0%")
                .containsPattern("overall\\s+4\\s+1\\s+1\\s+2\\s+25\\.0%")
                .containsPattern("overall\\s+6\\s+2\\s+2\\s+2\\s+33\\.3%")
                .contains("Uncovered (no test checks them, by family): 2")
                .contains("  b.dev.1              MUST       9.9       Summary of b.dev.1")
                .contains("Unknown requirement ids cited by tests: zz.dev.9");
        String realCatalog = TextMatrixRenderer.render(TraceabilityMatrix.build(RequirementRegistry.load(),
                List.of()));
        assertThat(realCatalog).containsPattern("init\\s+0\\s+0\\s+0\\s+0\\s+n/a");
    }

    @Test
    void markdownRendererEscapesAndSummarises() {
        var pipes = TraceabilityMatrix.build(SMALL, List.of(outcome("T#a|b", Verdict.PASS, "b.dev.1")));
        String md = MarkdownMatrixRenderer.render(pipes, List.of("a", "b"));
        assertThat(md).startsWith("# Traceability matrix\n")
                .contains("| `b.dev.1` | MUST | 9.9 | PASS | T#a\\|b |")
                .contains("| **overall** | 3 | 1 | 0 | 2 | **33.3%** |")
                .contains("- `a.dev.1` MUST (9.9): Summary of a.dev.1");
    }
}
