package org.virtiotck.reports.html;

import static org.virtiotck.reports.html.Html.esc;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
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
import org.virtiotck.reports.matrix.RequirementRow;
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
 * harness driver-rule violations, coverage per area family, the fuzz campaign when given, the conformance matrix
 * per area family, and the list of every test.
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
        fuzz.ifPresent(f -> fuzz(out, f));
        matrix(out);
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

    private static String coverageBar(String area, int testable, int covered, int notRun, int uncovered) {
        return SvgCharts.stackedBar(List.of(
                new SvgCharts.Segment("covered: " + covered, covered, "s-covered"),
                new SvgCharts.Segment("not run: " + notRun, notRun, "s-notrun"),
                new SvgCharts.Segment("uncovered: " + uncovered, uncovered, "s-uncovered")),
                area + ": " + covered + " of " + testable + " covered, " + notRun + " not run, " + uncovered
                        + " uncovered", 12);
    }

    // ---------------------------------------------------------------------------------------------- fuzz

    private void fuzz(StringBuilder out, FuzzSummary f) {
        out.append("<section id=\"fuzz\">\n<h2>Fuzzing campaign <span class=\"count\">(")
                .append(f.findingList().size()).append(f.findingList().size() == 1 ? " finding" : " findings")
                .append(")</span></h2>\n<div class=\"stats\">");
        double seconds = f.durationMillis() / 1000.0;
        stat(out, "Target", f.target());
        stat(out, "Seed", f.seed() == null ? "none" : f.seed());
        stat(out, "Duration", duration(Duration.ofMillis(f.durationMillis())));
        stat(out, "Executions", String.format(Locale.ROOT, "%,d", f.execs()));
        stat(out, "Mean exec/s", seconds <= 0 ? "n/a" : SvgCharts.value(Math.round(f.execs() / seconds)));
        stat(out, "Findings", Integer.toString(f.findingList().size()));
        out.append("</div>\n<div class=\"charts\">\n");
        chart(out, "Executions per second", "exec/s", f.execsPerSecond(), false, "c-rate");
        chart(out, "Coverage", "points", f.coverage(), false, "c-cov");
        chart(out, "Findings (cumulative)", "findings", f.findings(), true, "c-find");
        out.append("</div>\n");
        if (f.findingList().isEmpty()) {
            out.append("<p class=\"callout ok\">\u2713 The campaign found nothing.</p>\n");
        } else {
            out.append("<table class=\"findings\" style=\"margin-top:14px\"><thead><tr><th>Finding</th><th>Kind</th>")
                    .append("<th>Summary</th><th>Requirements</th><th class=\"num\">Found at</th><th>Reproducer</th>")
                    .append("</tr></thead><tbody>\n");
            for (FuzzSummary.Finding x : f.findingList()) {
                out.append("<tr><td><code>").append(esc(x.id())).append("</code></td><td>").append(kindBadge(x.kind()))
                        .append("</td><td>").append(esc(x.summary())).append("</td><td>")
                        .append(idList(x.requirementIds())).append("</td><td class=\"num\">")
                        .append(esc(clock(x.foundAtMillis())))
                        .append("</td><td>").append(x.reproducer() == null ? "<span class=\"none\">none</span>"
                                : "<pre class=\"cmd\"><code>" + esc(x.reproducer()) + "</code></pre>")
                        .append("</td></tr>\n");
            }
            out.append("</tbody></table>\n");
        }
        out.append("</section>\n");
    }

    private static void stat(StringBuilder out, String key, String value) {
        out.append("<div class=\"stat\"><div class=\"k\">").append(esc(key)).append("</div><div class=\"v\">")
                .append(esc(value)).append("</div></div>");
    }

    private static void chart(StringBuilder out, String title, String unit, List<FuzzSummary.Sample> samples,
                              boolean step, String klass) {
        out.append("<figure><figcaption>").append(esc(title)).append("</figcaption>")
                .append(SvgCharts.line(title, unit, samples.stream().map(FuzzSummary.Sample::elapsedMillis).toList(),
                        samples.stream().map(FuzzSummary.Sample::value).toList(), step, klass))
                .append("</figure>\n");
    }

    private static String kindBadge(String kind) {
        String k = kind.toUpperCase(Locale.ROOT);
        String c = switch (k) {
            case "FAIL" -> "b-fail";
            case "CRASH" -> "b-crash";
            case "HANG" -> "b-hang";
            case "ERROR" -> "b-error";
            default -> "b-skip";
        };
        return badge(c, kind.isEmpty() ? "FINDING" : k);
    }

    // ---------------------------------------------------------------------------------------------- matrix

    private void matrix(StringBuilder out) {
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

    private static String idList(List<String> ids) {
        if (ids.isEmpty()) {
            return "<span class=\"none\">none</span>";
        }
        var b = new StringBuilder();
        for (String id : ids) {
            b.append(b.isEmpty() ? "" : ", ").append("<code>").append(esc(id)).append("</code>");
        }
        return b.toString();
    }

    /** {@code org.x.FooSuite#bar} → {@code FooSuite#bar}. */
    static String shortId(String testId) {
        int hash = testId.indexOf('#');
        String cls = hash < 0 ? testId : testId.substring(0, hash);
        int dot = cls.lastIndexOf('.');
        return (dot < 0 ? cls : cls.substring(dot + 1)) + (hash < 0 ? "" : testId.substring(hash));
    }

    private static String badge(String cssClass, String text) {
        return "<span class=\"badge " + cssClass + "\">" + text + "</span>";
    }

    static String verdictLabel(Verdict v) {
        return v == Verdict.SKIP ? "SKIPPED" : v.name();
    }

    private static String cls(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT);
    }

    private static String verdictBadge(Verdict v) {
        String glyph = switch (v) {
            case PASS -> "\u2713 ";
            case FAIL, CRASH, HANG, ERROR, BLOCKED -> "\u2717 ";
            default -> "";
        };
        return badge("b-" + cls(v), glyph + verdictLabel(v));
    }

    private static String statusBadge(RequirementStatus s) {
        return switch (s) {
            case NOT_COVERED -> badge("b-none", "NOT COVERED");
            default -> verdictBadge(Verdict.valueOf(s.name()));
        };
    }

    private static boolean worse(Verdict a, Verdict b) {
        return RequirementStatus.of(a).compareTo(RequirementStatus.of(b)) < 0;
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "\u2014" : s;
    }

    private static String percent(int testable, double percent) {
        return testable == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f%%", percent);
    }

    /** {@code m:ss} (or {@code h:mm:ss}) into a campaign. */
    static String clock(long millis) {
        long s = millis / 1000;
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        long s = ms / 1000;
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, s / 60 % 60);
    }
}
