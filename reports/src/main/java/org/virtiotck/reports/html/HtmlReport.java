package org.virtiotck.reports.html;

import static org.virtiotck.reports.html.Html.badge;
import static org.virtiotck.reports.html.Html.cls;
import static org.virtiotck.reports.html.Html.coverageBar;
import static org.virtiotck.reports.html.Html.duration;
import static org.virtiotck.reports.html.Html.esc;
import static org.virtiotck.reports.html.Html.idList;
import static org.virtiotck.reports.html.Html.percent;
import static org.virtiotck.reports.html.Html.shortId;
import static org.virtiotck.reports.html.Html.verdictBadge;
import static org.virtiotck.reports.html.Html.verdictLabel;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.virtiotck.reports.Requirement;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.cert.Certification;
import org.virtiotck.reports.cert.CertificationLevel;
import org.virtiotck.reports.cert.CertificationResult;
import org.virtiotck.reports.json.AtomicFiles;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.matrix.AreaCoverage;
import org.virtiotck.reports.matrix.Coverage;
import org.virtiotck.reports.matrix.CoverageMode;
import org.virtiotck.reports.matrix.RequirementStatus;
import org.virtiotck.reports.matrix.TraceabilityMatrix;
import org.virtiotck.reports.result.RootCause;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * A run report as one self-contained HTML page: inline CSS and SVG, no scripts, no external resources, so it can
 * be attached to a CI job, mailed or archived as is.
 *
 * <p>Sections, in reading order: header (target, tool, date, seed, the certification verdict and how the run
 * fares at each {@link CertificationLevel}, counts per verdict), failures (FAIL, CRASH, HANG, then harness
 * ERRORs, each with its requirements, expected vs observed, message and replay command), waived deviations,
 * harness driver-rule violations, coverage per area family, the fuzz campaign when given ({@link FuzzSection}),
 * the conformance matrix per area family ({@link MatrixSection}), and the list of every test. The markup pieces
 * the sections share (badges, id lists, bars, times) are in {@link Html}.
 *
 * <p>Every string from the report goes through {@link Html#esc}; badges always carry their status as text.
 */
public final class HtmlReport {

    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String CSS = loadCss();

    private final RunReport report;
    private final RequirementRegistry registry;
    private final Optional<FuzzSummary> fuzz;
    private final CertificationLevel level;
    private final TraceabilityMatrix matrix;
    private final Map<String, TestOutcome> byTestId = new LinkedHashMap<>();

    private HtmlReport(RunReport report, RequirementRegistry registry, Optional<FuzzSummary> fuzz,
                       CertificationLevel level) {
        this.report = report;
        this.registry = registry;
        this.fuzz = fuzz;
        this.level = level;
        this.matrix = TraceabilityMatrix.build(registry, report.outcomes());
        for (TestOutcome o : report.outcomes()) {
            byTestId.merge(o.testId(), o, (a, b) -> worse(b.verdict(), a.verdict()) ? b : a);
        }
    }

    /** Renders with the certification verdict at {@link CertificationLevel#FULL}, what {@code certify} gates on. */
    public static String render(RunReport report, RequirementRegistry registry, Optional<FuzzSummary> fuzz) {
        return render(report, registry, fuzz, CertificationLevel.FULL);
    }

    /** Renders with the headline verdict evaluated at {@code level}; the other levels are shown alongside. */
    public static String render(RunReport report, RequirementRegistry registry, Optional<FuzzSummary> fuzz,
                                CertificationLevel level) {
        return new HtmlReport(report, registry, fuzz, level).page();
    }

    /** Writes the page atomically (UTF-8), verdict at {@link CertificationLevel#FULL}. */
    public static void write(Path file, RunReport report, RequirementRegistry registry, Optional<FuzzSummary> fuzz)
            throws IOException {
        write(file, report, registry, fuzz, CertificationLevel.FULL);
    }

    /** Writes the page atomically (UTF-8). */
    public static void write(Path file, RunReport report, RequirementRegistry registry, Optional<FuzzSummary> fuzz,
                             CertificationLevel level) throws IOException {
        AtomicFiles.write(file, render(report, registry, fuzz, level).getBytes(StandardCharsets.UTF_8));
    }

    private static String loadCss() {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/org/virtiotck/reports/html/report.css")) {
            if (in == null) {
                throw new IllegalStateException("classpath resource org/virtiotck/reports/html/report.css is missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------------------------------------- page

    private String page() {
        CertificationResult result = Certification.evaluate(report, registry, level);
        var out = new StringBuilder(64 * 1024);
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"").append(esc(report.tool().name() + " "
                        + report.tool().version())).append("\">\n")
                .append("<title>").append(result.certified() ? "CERTIFIED" : "NOT CERTIFIED").append(" \u2014 ")
                .append(esc(report.target().name())).append(" \u2014 virtio-tck report</title>\n<style>\n")
                .append(CSS).append("</style>\n</head>\n<body>\n<main>\n");
        header(out, result);
        rootCauses(out);
        failures(out);
        waived(out);
        driverViolations(out);
        coverage(out);
        fuzz.ifPresent(f -> FuzzSection.render(out, f));
        new MatrixSection(matrix, byTestId).render(out);
        allTests(out);
        out.append("<footer>Generated by ").append(esc(report.tool().name())).append(' ')
                .append(esc(report.tool().version())).append(" from run report schema ")
                .append(esc(report.schemaVersion())).append(". Requirement summaries are the project's own ")
                .append("paraphrases; the VirtIO specification is the normative text.</footer>\n");
        return out.append("</main>\n</body>\n</html>\n").toString();
    }

    private void header(StringBuilder out, CertificationResult result) {
        boolean ok = result.certified();
        out.append("<header id=\"summary\">\n<div class=\"banner ").append(ok ? "ok" : "bad").append("\">")
                .append("<div class=\"stamp\" id=\"verdict\">").append(ok ? "\u2713 CERTIFIED" : "\u2717 NOT CERTIFIED")
                .append("</div><div><h1>").append(esc(report.target().name())).append("</h1><div class=\"sub\">")
                .append("<code>").append(esc(report.target().uri())).append("</code> \u00b7 evaluated at level <b>")
                .append(level).append("</b>").append(headline(result)).append("</div></div></div>\n");
        out.append("<dl class=\"facts\">");
        fact(out, "Target version", report.target().version());
        fact(out, "Tool", report.tool().name() + " " + report.tool().version());
        fact(out, "Started", DATE.format(report.startedAt()));
        fact(out, "Duration", report.finishedAt() == null ? "unfinished"
                : duration(Duration.between(report.startedAt(), report.finishedAt())));
        fact(out, "Seed", report.seed() == null ? "none" : report.seed());
        fact(out, "Tests", Integer.toString(report.outcomes().size()));
        out.append("</dl>\n<div class=\"summary\">\n<div class=\"levels\">");
        for (CertificationLevel l : CertificationLevel.values()) {
            CertificationResult r = l == level ? result : Certification.evaluate(report, registry, l);
            out.append("<div class=\"level").append(l == level ? " current" : "").append("\"><span class=\"name\">")
                    .append(l).append("</span>")
                    .append(r.certified() ? badge("b-pass", "\u2713 PASSES") : badge("b-fail", "\u2717 FAILS"))
                    .append("<span class=\"what\">").append(switch (l) {
                        case REQUIRED -> "device MUST / MUST NOT";
                        case RECOMMENDED -> "+ SHOULD / SHOULD NOT";
                        case FULL -> "every test";
                    });
            if (!r.certified() && !r.blockingTestIds().isEmpty()) {
                out.append(" \u00b7 ").append(r.blockingTestIds().size()).append(" blocking");
            }
            out.append("</span></div>");
        }
        out.append("</div>\n<div class=\"counts\">");
        List<SvgCharts.Segment> segments = new ArrayList<>();
        for (Verdict v : Verdict.values()) {
            int n = report.verdictCounts().getOrDefault(v, 0);
            out.append("<span class=\"count-chip").append(n == 0 ? " zero" : "").append("\">")
                    .append(verdictBadge(v)).append("<b>").append(n).append("</b></span>");
            segments.add(new SvgCharts.Segment(verdictLabel(v) + ": " + n, n, "s-" + cls(v)));
        }
        out.append("</div>\n<div class=\"verdict-bar\">")
                .append(SvgCharts.stackedBar(segments, "tests per verdict: " + countsText(), 14))
                .append("</div>\n");
        out.append("<nav class=\"toc\" aria-label=\"sections\">");
        long bad = report.outcomes().stream().filter(o -> Certification.isBlockingVerdict(o.verdict())).count();
        List<RootCause> causes = RootCause.of(report.outcomes());
        if (!causes.isEmpty()) {
            toc(out, "root-cause", "Root cause", causes.size());
        }
        toc(out, "failures", "Failures", bad - report.verdictCounts().getOrDefault(Verdict.BLOCKED, 0));
        toc(out, "waived", "Waived", report.verdictCounts().getOrDefault(Verdict.WAIVED, 0));
        toc(out, "driver-rules", "Driver-rule violations", report.driverViolations().size());
        toc(out, "coverage", "Coverage", -1);
        if (fuzz.isPresent()) {
            toc(out, "fuzz", "Fuzzing", fuzz.get().findingList().size());
        }
        toc(out, "matrix", "Conformance matrix", -1);
        toc(out, "tests", "All tests", report.outcomes().size());
        out.append("</nav>\n</div>\n</header>\n");
    }

    /**
     * What stopped the run from testing most of the target, first: each failed prerequisite (or target fault)
     * with its own failure and the tests it blocked.
     */
    private void rootCauses(StringBuilder out) {
        List<RootCause> causes = RootCause.of(report.outcomes());
        if (causes.isEmpty()) {
            return;
        }
        out.append("<section id=\"root-cause\">\n<h2>Root cause <span class=\"count\">(").append(causes.size())
                .append(")</span></h2>\n<p class=\"hint\">These tests were not run: something they need does not ")
                .append("work on this target. Fix this first; the blocked tests count against certification.</p>\n");
        for (RootCause c : causes) {
            out.append("<div class=\"card v-blocked\"><h3>").append(verdictBadge(Verdict.BLOCKED)).append(' ')
                    .append(esc(c.blocker())).append("</h3>\n<p><b>What failed:</b> ").append(esc(c.failure()))
                    .append("</p>\n<details><summary>").append(c.blocked().size()).append(" blocked ")
                    .append(c.blocked().size() == 1 ? "test" : "tests").append("</summary><ul>");
            for (TestOutcome o : c.blocked()) {
                out.append("<li><code>").append(esc(shortId(o.testId()))).append("</code> ")
                        .append(esc(String.join(", ", o.requirementIds()))).append("</li>");
            }
            out.append("</ul></details></div>\n");
        }
        out.append("</section>\n");
    }

    private String headline(CertificationResult result) {
        List<RootCause> causes = RootCause.of(report.outcomes());
        if (!causes.isEmpty()) {
            RootCause first = causes.get(0);
            return " \u00b7 root cause: " + esc(first.blocker()) + " (" + first.blocked().size() + " tests blocked)";
        }
        if (report.finishedAt() == null) {
            return " \u00b7 the run did not finish";
        }
        if (report.outcomes().isEmpty()) {
            return " \u00b7 the run has no test outcomes";
        }
        int tests = result.blockingTestIds().size();
        if (tests > 0) {
            int reqs = result.blockingRequirementIds().size();
            return " \u00b7 " + tests + (tests == 1 ? " blocking test" : " blocking tests") + " on " + reqs
                    + (reqs == 1 ? " requirement" : " requirements");
        }
        int waived = report.verdictCounts().getOrDefault(Verdict.WAIVED, 0);
        return " \u00b7 " + report.outcomes().size() + " tests, nothing blocking"
                + (waived == 0 ? "" : ", " + waived + " waived");
    }

    private static void toc(StringBuilder out, String id, String title, long n) {
        out.append("<a href=\"#").append(id).append("\">").append(esc(title)).append(n >= 0 ? " (" + n + ")" : "")
                .append("</a>");
    }

    private static void fact(StringBuilder out, String key, String value) {
        out.append("<div><dt>").append(esc(key)).append("</dt><dd>").append(esc(value)).append("</dd></div>");
    }

    private String countsText() {
        var parts = new ArrayList<String>();
        report.verdictCounts().forEach((v, n) -> {
            if (n > 0) {
                parts.add(n + " " + verdictLabel(v));
            }
        });
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    // ---------------------------------------------------------------------------------------------- failures

    private void failures(StringBuilder out) {
        List<TestOutcome> target = new ArrayList<>();
        List<TestOutcome> harness = new ArrayList<>();
        for (TestOutcome o : report.outcomes()) {
            if (o.verdict() == Verdict.ERROR) {
                harness.add(o);
            } else if (Certification.isBlockingVerdict(o.verdict()) && o.verdict() != Verdict.BLOCKED) {
                target.add(o);
            }
        }
        Comparator<TestOutcome> order = Comparator
                .comparing((TestOutcome o) -> Certification.levelOf(o, registry))
                .thenComparing(TestOutcome::severity);
        target.sort(order);
        out.append("<section id=\"failures\">\n<h2>Failures <span class=\"count\">(")
                .append(target.size() + harness.size()).append(")</span></h2>\n");
        if (target.isEmpty() && harness.isEmpty()) {
            out.append("<p class=\"callout ok\">\u2713 No failures: every test that ran passed, was waived or was ")
                    .append("skipped.</p>\n");
        } else {
            out.append("<p class=\"hint\">Strongest requirement level first. Each replay command re-runs exactly ")
                    .append("that test; click a command once to select all of it.</p>\n");
        }
        for (TestOutcome o : target) {
            card(out, o);
        }
        if (!harness.isEmpty()) {
            out.append("<h3 id=\"harness-errors\" style=\"margin:18px 0 8px\">Harness errors (").append(harness.size())
                    .append(") \u2014 the TCK broke, not the target; these requirements are unverified</h3>\n");
            for (TestOutcome o : harness) {
                card(out, o);
            }
        }
        out.append("</section>\n");
    }

    private void card(StringBuilder out, TestOutcome o) {
        out.append("<article class=\"card v-").append(cls(o.verdict())).append("\">\n<header>")
                .append(verdictBadge(o.verdict())).append("<h3>").append(esc(o.displayName())).append("</h3>");
        if (o.severity() != org.virtiotck.reports.result.Severity.NONE) {
            out.append("<span class=\"tag sev-").append(o.severity().name().toLowerCase(Locale.ROOT))
                    .append("\">severity ").append(o.severity()).append("</span>");
        }
        out.append("<span class=\"tag\">blocks ").append(Certification.levelOf(o, registry)).append("</span>");
        out.append("</header>\n<div class=\"testid\"><code>").append(esc(o.testId())).append("</code>")
                .append(o.suite().isEmpty() ? "" : " \u00b7 suite " + esc(o.suite())).append("</div>\n");
        requirementList(out, o.requirementIds());
        if (!o.expected().isEmpty() || !o.observed().isEmpty()) {
            out.append("<div class=\"eo\"><div><div class=\"label\">Expected</div><pre class=\"expected\">")
                    .append(esc(orDash(o.expected()))).append("</pre></div><div><div class=\"label\">Observed</div>")
                    .append("<pre class=\"observed\">").append(esc(orDash(o.observed()))).append("</pre></div></div>\n");
        }
        if (!o.message().isEmpty()) {
            out.append("<div class=\"label\">Message</div><pre class=\"message\">").append(esc(o.message()))
                    .append("</pre>\n");
        }
        if (o.seed() != null) {
            out.append("<div class=\"label\">Seed</div><pre>").append(esc(o.seed())).append("</pre>\n");
        }
        if (o.replay() != null && !o.replay().isBlank()) {
            out.append("<div class=\"label\">Replay</div><pre class=\"cmd\"><code>").append(esc(o.replay()))
                    .append("</code></pre>\n");
        }
        out.append("</article>\n");
    }

    private void requirementList(StringBuilder out, List<String> ids) {
        if (ids.isEmpty()) {
            out.append("<p class=\"none\">This test cites no requirement.</p>\n");
            return;
        }
        out.append("<ul class=\"reqs\">");
        for (String id : ids) {
            out.append("<li><code>").append(esc(id)).append("</code> ");
            Optional<Requirement> r = registry.find(id);
            if (r.isPresent()) {
                out.append("<span class=\"lvl\">").append(r.get().level().label()).append("</span> \u00b7 \u00a7")
                        .append(esc(r.get().section())).append(" ").append(esc(r.get().title())).append(" \u2014 ")
                        .append(esc(r.get().summary()));
            } else {
                out.append("<span class=\"none\">not in the catalog</span>");
            }
            out.append("</li>");
        }
        out.append("</ul>\n");
    }

    // ---------------------------------------------------------------------------------------------- waived, rules

    private void waived(StringBuilder out) {
        List<TestOutcome> waived = report.outcomes().stream().filter(o -> o.verdict() == Verdict.WAIVED).toList();
        out.append("<section id=\"waived\">\n<h2>Waived deviations <span class=\"count\">(").append(waived.size())
                .append(")</span></h2>\n");
        if (waived.isEmpty()) {
            out.append("<p class=\"none\">No waivers applied.</p>\n</section>\n");
            return;
        }
        out.append("<p class=\"hint\">Known deviations accepted by a waiver file. They do not block ")
                .append("certification but remain deviations from the specification.</p>\n");
        out.append("<table class=\"waivers\"><thead><tr><th>Test</th><th>Requirements</th><th>Was</th>")
                .append("<th>Reason</th><th>Observed</th></tr></thead><tbody>\n");
        for (TestOutcome o : waived) {
            out.append("<tr><td><code title=\"").append(esc(o.testId())).append("\">").append(esc(shortId(o.testId())))
                    .append("</code></td><td>").append(idList(o.requirementIds())).append("</td><td>")
                    .append(verdictBadge(o.waivedFrom())).append("</td><td>").append(esc(o.waiverReason()))
                    .append("</td><td>").append(esc(orDash(o.observed()))).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n</section>\n");
    }

    private void driverViolations(StringBuilder out) {
        List<String> v = report.driverViolations();
        out.append("<section id=\"driver-rules\">\n<h2>Harness driver-rule violations <span class=\"count\">(")
                .append(v.size()).append(")</span></h2>\n");
        if (v.isEmpty()) {
            out.append("<p class=\"callout ok\">\u2713 None: the harness kept every driver rule the device model ")
                    .append("checks.</p>\n</section>\n");
            return;
        }
        out.append("<p class=\"callout warn\">\u26a0 The TCK itself broke these driver rules while testing. ")
                .append("Results of the affected tests may not be trustworthy; please report them.</p>\n<ul>");
        for (String s : v) {
            out.append("<li><code>").append(esc(s)).append("</code></li>");
        }
        out.append("</ul>\n</section>\n");
    }

    // ---------------------------------------------------------------------------------------------- coverage

    private void coverage(StringBuilder out) {
        Coverage c = matrix.coverage(CoverageMode.FAMILY);
        out.append("<section id=\"coverage\">\n<h2>Coverage of device-testable requirements</h2>\n")
                .append("<p class=\"hint\">Per area family (the <code>-desc</code> and <code>-legacy</code> rows ")
                .append("fold into their base area). <b>Covered</b>: some test reached a verdict about the target. ")
                .append("<b>Not run</b>: only skipped or erroring tests cite it. <b>Uncovered</b>: no test cites it.")
                .append("</p>\n");
        out.append("<table class=\"cov\"><thead><tr><th>Area</th><th class=\"num\">Covered</th>")
                .append("<th class=\"num\">Not run</th><th class=\"num\">Uncovered</th><th>Coverage</th>")
                .append("<th class=\"num\">%</th></tr></thead><tbody>\n");
        for (AreaCoverage a : c.areas()) {
            out.append("<tr><td><a href=\"#area-").append(esc(a.area())).append("\">").append(esc(a.area()))
                    .append("</a></td><td class=\"num\">").append(a.covered()).append(" / ").append(a.testable())
                    .append("</td><td class=\"num\">").append(a.notRun()).append("</td><td class=\"num\">")
                    .append(a.uncovered().size()).append("</td><td class=\"barcell\">")
                    .append(coverageBar(a.area(), a.testable(), a.covered(), a.notRun(), a.uncovered().size()))
                    .append("</td><td class=\"num\">").append(percent(a.testable(), a.percent())).append("</td></tr>\n");
        }
        out.append("<tr class=\"total\"><td>overall</td><td class=\"num\">").append(c.covered()).append(" / ")
                .append(c.testable()).append("</td><td class=\"num\">").append(c.notRun())
                .append("</td><td class=\"num\">").append(c.uncovered().size()).append("</td><td class=\"barcell\">")
                .append(coverageBar("overall", c.testable(), c.covered(), c.notRun(), c.uncovered().size()))
                .append("</td><td class=\"num\">").append(percent(c.testable(), c.percent()))
                .append("</td></tr>\n</tbody></table>\n");
        out.append("<div class=\"legend\"><span><i class=\"swatch\" style=\"background:#16a34a\"></i>covered</span>")
                .append("<span><i class=\"swatch\" style=\"background:#94a3b8\"></i>not run</span>")
                .append("<span><i class=\"swatch\" style=\"background:#e8edf2\"></i>uncovered</span></div>\n")
                .append("</section>\n");
    }

    // ---------------------------------------------------------------------------------------------- all tests

    private void allTests(StringBuilder out) {
        out.append("<section id=\"tests\">\n<h2>All tests <span class=\"count\">(").append(report.outcomes().size())
                .append(")</span></h2>\n<details><summary>Show every test with its verdict, time and note</summary>\n")
                .append("<table class=\"all\"><thead><tr><th>Test</th><th>Suite</th><th>Verdict</th>")
                .append("<th>Requirements</th><th class=\"num\">Time</th><th>Note</th></tr></thead><tbody>\n");
        for (TestOutcome o : report.outcomes()) {
            String note = o.verdict() == Verdict.WAIVED ? "waived: " + o.waiverReason() : o.message();
            if (note.length() > 240) {
                note = note.substring(0, 239) + "\u2026";
            }
            out.append("<tr><td><code title=\"").append(esc(o.testId())).append("\">").append(esc(shortId(o.testId())))
                    .append("</code></td><td>").append(esc(o.suite())).append("</td><td>")
                    .append(verdictBadge(o.verdict())).append("</td><td>").append(idList(o.requirementIds()))
                    .append("</td><td class=\"num\">").append(o.durationMillis()).append(" ms</td><td>")
                    .append(esc(note)).append("</td></tr>\n");
        }
        out.append("</tbody></table>\n</details>\n</section>\n");
    }

    // ---------------------------------------------------------------------------------------------- helpers

    private static boolean worse(Verdict a, Verdict b) {
        return RequirementStatus.of(a).compareTo(RequirementStatus.of(b)) < 0;
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "\u2014" : s;
    }
}
