package org.virtiotck.reports.matrix;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Renders a matrix as fixed-width plain text for terminals and CI logs. */
public final class TextMatrixRenderer {

    private TextMatrixRenderer() {
    }

    /** The default areas, see {@link TraceabilityMatrix#DEFAULT_AREAS}. */
    public static String render(TraceabilityMatrix matrix) {
        return render(matrix, TraceabilityMatrix.DEFAULT_AREAS);
    }

    /** The full table of requirements, then coverage of {@code areas} by area and by family, then the gaps. */
    public static String render(TraceabilityMatrix matrix, Collection<String> areas) {
        var out = new StringBuilder();
        table(out, matrix.rows());
        Coverage byArea = matrix.coverage(CoverageMode.AREA, areas);
        Coverage byFamily = matrix.coverage(CoverageMode.FAMILY, areas);
        coverage(out, "Coverage of device-testable requirements, by area", byArea);
        coverage(out, "Coverage of device-testable requirements, by area family (-desc/-legacy folded in)",
                byFamily);
        listing(out, "Uncovered (no test checks them, by family)", byFamily.uncovered(), matrix);
        listing(out, "Not run (covering tests skipped or hit harness errors, by family)", byFamily.notRunIds(),
                matrix);
        if (!matrix.unknownRequirementIds().isEmpty()) {
            out.append("\nUnknown requirement ids cited by tests: ")
                    .append(String.join(", ", matrix.unknownRequirementIds())).append('\n');
        }
        return out.toString();
    }

    private static void table(StringBuilder out, List<RequirementRow> rows) {
        int idWidth = Math.max(2, rows.stream().mapToInt(r -> r.id().length()).max().orElse(0));
        int sectionWidth = Math.max(7, rows.stream().mapToInt(r -> r.requirement().section().length()).max()
                .orElse(0));
        String format = "%-" + idWidth + "s  %-10s  %-" + sectionWidth + "s  %-11s  %s";
        out.append(String.format(Locale.ROOT, format, "id", "level", "section", "status", "tests")).append('\n');
        for (RequirementRow row : rows) {
            out.append(String.format(Locale.ROOT, format, row.id(), row.requirement().level().label(),
                    row.requirement().section(), row.status(), String.join(", ", row.testIds())).stripTrailing())
                    .append('\n');
        }
    }

    private static void coverage(StringBuilder out, String title, Coverage coverage) {
        out.append('\n').append(title).append('\n');
        String format = "%-14s %9s %8s %8s %10s %9s%n";
        out.append(String.format(Locale.ROOT, format, "area", "testable", "covered", "not run", "uncovered",
                "coverage"));
        for (AreaCoverage a : coverage.areas()) {
            out.append(String.format(Locale.ROOT, format, a.area(), a.testable(), a.covered(), a.notRun(),
                    a.uncovered().size(), percent(a.testable(), a.percent())));
        }
        out.append(String.format(Locale.ROOT, format, "overall", coverage.testable(), coverage.covered(),
                coverage.notRun(), coverage.uncovered().size(), percent(coverage.testable(), coverage.percent())));
    }

    private static void listing(StringBuilder out, String title, List<String> ids, TraceabilityMatrix matrix) {
        out.append('\n').append(title).append(": ").append(ids.size()).append('\n');
        for (String id : ids) {
            var r = matrix.row(id).requirement();
            out.append(String.format(Locale.ROOT, "  %-20s %-10s %-9s %s%n", id, r.level().label(), r.section(),
                    r.summary()));
        }
    }

    /** "n/a" rather than a vacuous 100% when an area has nothing a driver-side harness can test. */
    static String percent(int testable, double percent) {
        return testable == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", percent);
    }
}
