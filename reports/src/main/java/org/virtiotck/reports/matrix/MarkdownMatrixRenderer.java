package org.virtiotck.reports.matrix;

import java.util.Collection;
import java.util.List;

/** Renders a matrix as GitHub-flavoured Markdown, e.g. for a CI job summary. */
public final class MarkdownMatrixRenderer {

    private MarkdownMatrixRenderer() {
    }

    public static String render(TraceabilityMatrix matrix) {
        return render(matrix, TraceabilityMatrix.DEFAULT_AREAS);
    }

    /** Coverage first (what a reader wants), then the gaps, then the full requirement table. */
    public static String render(TraceabilityMatrix matrix, Collection<String> areas) {
        var out = new StringBuilder("# Traceability matrix\n");
        Coverage byFamily = matrix.coverage(CoverageMode.FAMILY, areas);
        coverage(out, "Coverage by area", matrix.coverage(CoverageMode.AREA, areas));
        coverage(out, "Coverage by area family", byFamily);
        listing(out, "Uncovered device-testable requirements", byFamily.uncovered(), matrix);
        listing(out, "Covered only by skipped or erroring tests", byFamily.notRunIds(), matrix);
        if (!matrix.unknownRequirementIds().isEmpty()) {
            out.append("\n**Unknown requirement ids cited by tests:** `")
                    .append(String.join("`, `", matrix.unknownRequirementIds())).append("`\n");
        }
        out.append("\n## Requirements\n\n| id | level | section | status | tests |\n|---|---|---|---|---|\n");
        for (RequirementRow row : matrix.rows()) {
            out.append("| `").append(row.id()).append("` | ").append(row.requirement().level().label())
                    .append(" | ").append(row.requirement().section()).append(" | ").append(row.status())
                    .append(" | ").append(escape(String.join(", ", row.testIds()))).append(" |\n");
        }
        return out.toString();
    }

    private static void coverage(StringBuilder out, String title, Coverage coverage) {
        out.append("\n## ").append(title).append("\n\n")
                .append("| area | testable | covered | not run | uncovered | coverage |\n")
                .append("|---|---:|---:|---:|---:|---:|\n");
        for (AreaCoverage a : coverage.areas()) {
            out.append("| ").append(a.area()).append(" | ").append(a.testable()).append(" | ").append(a.covered())
                    .append(" | ").append(a.notRun()).append(" | ").append(a.uncovered().size()).append(" | ")
                    .append(TextMatrixRenderer.percent(a.testable(), a.percent())).append(" |\n");
        }
        out.append("| **overall** | ").append(coverage.testable()).append(" | ").append(coverage.covered())
                .append(" | ").append(coverage.notRun()).append(" | ").append(coverage.uncovered().size())
                .append(" | **").append(TextMatrixRenderer.percent(coverage.testable(), coverage.percent()))
                .append("** |\n");
    }

    private static void listing(StringBuilder out, String title, List<String> ids, TraceabilityMatrix matrix) {
        if (ids.isEmpty()) {
            return;
        }
        out.append("\n## ").append(title).append(" (").append(ids.size()).append(")\n\n");
        for (String id : ids) {
            var r = matrix.row(id).requirement();
            out.append("- `").append(id).append("` ").append(r.level().label()).append(" (").append(r.section())
                    .append("): ").append(escape(r.summary())).append('\n');
        }
    }

    private static String escape(String text) {
        return text.replace("|", "\\|");
    }
}
