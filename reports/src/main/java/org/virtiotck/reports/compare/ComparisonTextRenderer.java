package org.virtiotck.reports.compare;

import java.util.List;
import java.util.Locale;
import org.virtiotck.reports.matrix.AreaCoverage;
import org.virtiotck.reports.matrix.Coverage;

/** Renders a {@link Comparison} as plain text for terminals and CI logs: the verdict line first. */
public final class ComparisonTextRenderer {

    private ComparisonTextRenderer() {
    }

    public static String render(Comparison c) {
        var out = new StringBuilder();
        if (c.hasRegressions()) {
            out.append("REGRESSIONS: ").append(c.newFailures().size()).append(" new failing ")
                    .append(c.newFailures().size() == 1 ? "test" : "tests").append('\n');
        } else {
            out.append("NO REGRESSIONS\n");
        }
        out.append(String.format(Locale.ROOT, "old: %s (%s)%nnew: %s (%s)%n", c.oldTarget().uri(),
                c.oldTarget().name(), c.newTarget().uri(), c.newTarget().name()));
        out.append(String.format(Locale.ROOT,
                "new failures %d, fixes %d, still failing %d, other changes %d%n", c.newFailures().size(),
                c.fixes().size(), c.stillFailing().size(), c.otherChanges().size()));
        changes(out, "New failures", c.newFailures(), true);
        changes(out, "Fixes", c.fixes(), false);
        changes(out, "Still failing", c.stillFailing(), false);
        changes(out, "Other verdict changes", c.otherChanges(), false);
        ids(out, "Requirements newly failing", c.newlyFailingRequirementIds());
        ids(out, "Requirements fixed", c.fixedRequirementIds());
        ids(out, "Requirements newly covered", c.newlyCovered());
        ids(out, "Requirements no longer covered", c.noLongerCovered());
        coverage(out, c.coverageBefore(), c.coverageAfter());
        return out.toString();
    }

    private static void changes(StringBuilder out, String title, List<Comparison.TestChange> list,
                                boolean withMessage) {
        if (list.isEmpty()) {
            return;
        }
        out.append('\n').append(title).append(" (").append(list.size()).append("):\n");
        for (Comparison.TestChange t : list) {
            out.append(String.format(Locale.ROOT, "  %-7s -> %-7s %s", name(t.before()), name(t.after()),
                    t.testId()));
            if (!t.requirementIds().isEmpty()) {
                out.append("  [").append(String.join(", ", t.requirementIds())).append(']');
            }
            out.append('\n');
            if (withMessage && !t.message().isEmpty()) {
                out.append("          ").append(t.message().lines().findFirst().orElse("")).append('\n');
            }
        }
    }

    private static String name(Object verdict) {
        return verdict == null ? "(none)" : verdict.toString();
    }

    private static void ids(StringBuilder out, String title, List<String> ids) {
        if (!ids.isEmpty()) {
            out.append('\n').append(title).append(" (").append(ids.size()).append("): ")
                    .append(String.join(", ", ids)).append('\n');
        }
    }

    private static void coverage(StringBuilder out, Coverage before, Coverage after) {
        out.append("\nCoverage of device-testable requirements, by area family\n");
        out.append(String.format(Locale.ROOT, "%-14s %15s %15s %8s%n", "area", "before", "after", "change"));
        for (AreaCoverage a : after.areas()) {
            AreaCoverage b = before.areas().stream().filter(x -> x.area().equals(a.area())).findFirst()
                    .orElse(null);
            row(out, a.area(), b == null ? 0 : b.covered(), b == null ? 0 : b.testable(), a.covered(),
                    a.testable());
        }
        row(out, "overall", before.covered(), before.testable(), after.covered(), after.testable());
    }

    private static void row(StringBuilder out, String area, int bc, int bt, int ac, int at) {
        int delta = ac - bc;
        out.append(String.format(Locale.ROOT, "%-14s %15s %15s %8s%n", area, cell(bc, bt), cell(ac, at),
                delta == 0 ? "" : (delta > 0 ? "+" : "") + delta));
    }

    private static String cell(int covered, int testable) {
        return testable == 0 ? "n/a" : String.format(Locale.ROOT, "%d/%d %5.1f%%", covered, testable,
                100.0 * covered / testable);
    }
}
