package org.virtiotck.tck.junit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.cert.CertificationLevel;
import org.virtiotck.reports.cert.CertificationReport;
import org.virtiotck.reports.cert.JUnitXmlReport;
import org.virtiotck.reports.html.FuzzSummary;
import org.virtiotck.reports.html.HtmlReport;
import org.virtiotck.reports.json.AtomicFiles;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.matrix.Coverage;
import org.virtiotck.reports.matrix.CoverageMode;
import org.virtiotck.reports.matrix.MarkdownMatrixRenderer;
import org.virtiotck.reports.matrix.TextMatrixRenderer;
import org.virtiotck.reports.matrix.TraceabilityMatrix;
import org.virtiotck.reports.result.RootCause;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/** Writes the traceability matrix next to the JSON report and prints a short summary to the console. */
final class RunSummary {
    /** System property selecting the certification level the verdict is computed at (default: full). */
    static final String LEVEL_PROPERTY = "virtio.level";

    private RunSummary() {}

    /** System property naming a fuzz campaign report to summarise in the HTML report. */
    static final String FUZZ_REPORT_PROPERTY = "virtio.fuzz.report";

    private static Optional<FuzzSummary> fuzzSummary() throws IOException {
        String file = System.getProperty(FUZZ_REPORT_PROPERTY);
        return file == null || file.isBlank() ? Optional.empty()
                : Optional.of(FuzzSummary.fromFuzzReport(Path.of(file)));
    }

    static CertificationLevel level() {
        return CertificationLevel.parse(System.getProperty(LEVEL_PROPERTY, "full"));
    }

    static void write(Path dir, RequirementRegistry registry, RunReport report, List<TestOutcome> outcomes)
            throws IOException {
        TraceabilityMatrix matrix = TraceabilityMatrix.build(registry, outcomes);
        String text = TextMatrixRenderer.render(matrix);
        AtomicFiles.write(dir.resolve("matrix.txt"), text.getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("matrix.md"),
                MarkdownMatrixRenderer.render(matrix).getBytes(StandardCharsets.UTF_8));
        CertificationLevel level = level();
        HtmlReport.write(dir.resolve("report.html"), report, registry, fuzzSummary(), level);
        JUnitXmlReport.write(report, dir.resolve("junit.xml"));
        CertificationReport.of(report, registry, level, Optional.of(dir.resolve("run-report.json")))
                .write(dir.resolve("certification.json"));
        print(System.out, dir, report, outcomes, matrix);
    }

    private static void print(PrintStream out, Path dir, RunReport report, List<TestOutcome> outcomes,
                              TraceabilityMatrix matrix) {
        Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
        for (TestOutcome o : outcomes) {
            counts.merge(o.verdict(), 1, Integer::sum);
        }
        Coverage strict = matrix.coverage(CoverageMode.AREA);
        Coverage family = matrix.coverage(CoverageMode.FAMILY);
        out.println();
        out.println("== virtio-tck: " + report.target().uri() + " (" + report.target().name() + ")");
        for (RootCause c : RootCause.of(outcomes)) {
            out.println("!! ROOT CAUSE: " + c.blocker() + " failed: " + c.failure());
            out.println("!!   " + c.blocked().size() + (c.blocked().size() == 1 ? " test" : " tests")
                    + " BLOCKED by it (not run); fix this first");
        }
        out.println("   verdicts: " + counts);
        out.printf("   coverage of testable device requirements: %d/%d (%.1f%%) by area, %d/%d (%.1f%%) by family%n",
                strict.covered(), strict.testable(), strict.percent(), family.covered(), family.testable(),
                family.percent());
        out.println("   harness driver-rule violations: " + report.driverViolations().size());
        out.println("   reports: " + dir.toAbsolutePath());
    }
}
