package org.virtiotck.reports.html;

import static org.virtiotck.reports.html.Html.cls;
import static org.virtiotck.reports.html.Html.coverageBar;
import static org.virtiotck.reports.html.Html.esc;
import static org.virtiotck.reports.html.Html.idList;
import static org.virtiotck.reports.html.Html.percent;
import static org.virtiotck.reports.html.Html.shortId;
import static org.virtiotck.reports.html.Html.statusBadge;
import static org.virtiotck.reports.html.Html.verdictLabel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.virtiotck.reports.Requirement;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.matrix.AreaCoverage;
import org.virtiotck.reports.matrix.CoverageMode;
import org.virtiotck.reports.matrix.RequirementRow;
import org.virtiotck.reports.matrix.RequirementStatus;
import org.virtiotck.reports.matrix.TraceabilityMatrix;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * The page's conformance matrix: one table per area family, every device-testable requirement of the default areas
 * plus any other a test cites, each row with its status and the tests that verify it.
 */
final class MatrixSection {

    private final TraceabilityMatrix matrix;
    private final Map<String, TestOutcome> byTestId;

    /** {@code byTestId}: the outcome of each test (the worst, for a test that reported several). */
    MatrixSection(TraceabilityMatrix matrix, Map<String, TestOutcome> byTestId) {
        this.matrix = matrix;
        this.byTestId = byTestId;
    }

    void render(StringBuilder out) {
        Map<String, List<RequirementRow>> groups = new LinkedHashMap<>();
        TraceabilityMatrix.DEFAULT_AREAS.forEach(a -> groups.put(a, new ArrayList<>()));
        int hidden = 0;
        for (RequirementRow row : matrix.rows()) {
            String family = RequirementRegistry.areaFamily(row.id());
            boolean inScope = groups.containsKey(family) && row.requirement().isDeviceTestable();
            if (inScope || !row.testIds().isEmpty()) {
                groups.computeIfAbsent(groups.containsKey(family) ? family : "other", k -> new ArrayList<>())
                        .add(row);
            } else {
                hidden++;
            }
        }
        Map<String, AreaCoverage> cov = new LinkedHashMap<>();
        matrix.coverage(CoverageMode.FAMILY).areas().forEach(a -> cov.put(a.area(), a));
        out.append("<section id=\"matrix\">\n<h2>Conformance matrix</h2>\n<p class=\"hint\">Every device-testable ")
                .append("requirement of the areas a virtio-mmio block device must meet, plus any other requirement a ")
                .append("test cites, grouped by area family. The status is the worst verdict among the requirement's ")
                .append("tests. ").append(hidden).append(" driver-side, untestable or out-of-scope catalog rows that ")
                .append("no test cites are not shown.</p>\n");
        if (!matrix.unknownRequirementIds().isEmpty()) {
            out.append("<p class=\"callout warn\">\u26a0 Tests cite ids the catalog does not know: ")
                    .append(idList(matrix.unknownRequirementIds())).append("</p>\n");
        }
        for (var e : groups.entrySet()) {
            if (e.getValue().isEmpty()) {
                continue;
            }
            area(out, e.getKey(), e.getValue(), cov.get(e.getKey()));
        }
        out.append("</section>\n");
    }

    private void area(StringBuilder out, String family, List<RequirementRow> rows, AreaCoverage cov) {
        Set<String> sections = new LinkedHashSet<>();
        for (RequirementRow r : rows) {
            String[] parts = r.requirement().section().split("\\.");
            sections.add(parts.length >= 2 ? parts[0] + "." + parts[1] : r.requirement().section());
        }
        List<String> secs = new ArrayList<>(sections);
        String secText = "\u00a7 " + String.join(", ", secs.size() > 4 ? secs.subList(0, 4) : secs)
                + (secs.size() > 4 ? ", \u2026" : "");
        out.append("<div class=\"area\" id=\"area-").append(esc(family)).append("\"><header><div><h3>")
                .append(esc(family)).append("</h3><div class=\"sec\">").append(esc(secText)).append(" \u00b7 ")
                .append(rows.size()).append(" rows</div></div><div>");
        if (cov != null) {
            out.append(coverageBar(family, cov.testable(), cov.covered(), cov.notRun(), cov.uncovered().size()))
                    .append("</div><div class=\"pct\">").append(cov.covered()).append(" / ").append(cov.testable())
                    .append(" covered \u00b7 ").append(percent(cov.testable(), cov.percent())).append("</div>");
        } else {
            out.append("</div><div class=\"pct\">outside the default areas</div>");
        }
        out.append("</header>\n<table class=\"matrix\"><colgroup><col class=\"c-id\"><col class=\"c-level\">")
                .append("<col class=\"c-sec\"><col><col class=\"c-status\"><col class=\"c-tests\"></colgroup>")
                .append("<thead><tr><th>Requirement</th><th>Level</th><th>Section</th><th>Summary</th><th>Status</th>")
                .append("<th>Tests</th></tr></thead><tbody>\n");
        for (RequirementRow row : rows) {
            Requirement r = row.requirement();
            boolean bad = switch (row.status()) {
                case FAIL, CRASH, HANG, ERROR, BLOCKED -> true;
                default -> false;
            };
            out.append("<tr id=\"req-").append(esc(r.id())).append("\" class=\"")
                    .append(bad ? "bad" : row.status() == RequirementStatus.NOT_COVERED ? "uncovered" : "ok")
                    .append("\"><td class=\"id\"><code>").append(esc(r.id())).append("</code></td><td class=\"lvl\">")
                    .append(r.level().label());
            if (r.actor() == Requirement.Actor.DRIVER) {
                out.append("<small>driver rule</small>");
            } else if (r.testable() == Requirement.Testability.NO) {
                out.append("<small>not testable</small>");
            } else if (r.testable() == Requirement.Testability.PARTLY) {
                out.append("<small>partly testable</small>");
            }
            if (r.descriptive()) {
                out.append("<small>descriptive</small>");
            }
            out.append("</td><td title=\"").append(esc(r.title())).append("\">").append(esc(r.section()))
                    .append("</td><td>").append(esc(r.summary())).append("</td><td>").append(statusBadge(row.status()))
                    .append("</td><td>");
            if (row.testIds().isEmpty()) {
                out.append("<span class=\"none\">no test</span>");
            } else {
                out.append("<ul class=\"tests\">");
                for (String t : row.testIds()) {
                    TestOutcome o = byTestId.get(t);
                    out.append("<li>");
                    if (o != null && o.verdict() != Verdict.PASS) {
                        out.append("<span class=\"mini b-").append(cls(o.verdict())).append("\">")
                                .append(verdictLabel(o.verdict())).append("</span>");
                    }
                    out.append("<code title=\"").append(esc(t)).append("\">")
                            .append(esc(shortId(t)).replace("#", "#<wbr>")).append("</code></li>");
                }
                out.append("</ul>");
            }
            out.append("</td></tr>\n");
        }
        out.append("</tbody></table></div>\n");
    }
}
