package org.virtiotck.reports.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtiotck.reports.SampleReports;
import org.virtiotck.reports.cert.CertificationLevel;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.Severity;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

class HtmlReportTest {

    private static String failing() {
        return HtmlReport.render(SampleReports.failing(), SampleReports.REGISTRY, Optional.empty());
    }

    private static String section(String html, String id) {
        int start = html.indexOf("<section id=\"" + id + "\">");
        assertThat(start).as("section " + id).isNotNegative();
        return html.substring(start, html.indexOf("</section>", start));
    }

    private static int count(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    @Test
    void failingRunShowsVerdictCountsAndTheFailingRequirements() {
        String html = failing();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<html lang=\"en\">")
                .contains("\u2717 NOT CERTIFIED").doesNotContain("\u2713 CERTIFIED");
        assertThat(html).contains("<title>NOT CERTIFIED \u2014 reference device (modern)");
        String failures = section(html, "failures");
        assertThat(failures).contains("<code>mmio.dev.2</code>", "<code>features.dev.2</code>",
                "<code>split.dev.1</code>", "<code>blk.dev.3</code>")
                .contains("A modern device reports Version 2.")
                .contains("<pre class=\"expected\">0x2</pre>", "<pre class=\"observed\">0x1</pre>")
                .contains("<pre class=\"cmd\"><code>./mvnw -q -pl tck -am verify -Dvirtio.target=&#39;reference:modern&#39;");
        assertThat(count(failures, "<article class=\"card")).isEqualTo(4);
        assertThat(failures).contains("Harness errors (1)");
        assertThat(failures.indexOf("split.dev.1")).as("REQUIRED before RECOMMENDED")
                .isLessThan(failures.indexOf("features.dev.2"));
        assertThat(html).contains("<header id=\"summary\">");
        assertThat(html).contains("<span class=\"badge b-fail\">\u2717 FAIL</span><b>2</b>")
                .contains("<span class=\"badge b-pass\">\u2713 PASS</span><b>7</b>")
                .contains("<span class=\"badge b-skip\">SKIPPED</span><b>2</b>");
        assertThat(section(html, "waived")).contains("firmware 1.2 resets asynchronously; fixed in 1.3")
                .contains("\u2717 HANG");
        assertThat(section(html, "driver-rules")).contains("mmio.drv.4: 16-bit access to QueueNum");
    }

    @Test
    void levelsAreShownAndTheHeadlineFollowsTheChosenLevel() {
        RunReport onlyShould = RunReport.of(SampleReports.REGISTRY, SampleReports.TOOL, SampleReports.TARGET,
                SampleReports.START, SampleReports.START.plusSeconds(3), null, List.of(
                        SampleReports.pass("MmioRegisterSuite#magicValueIsVirt", "mmio", "mmio.dev.1"),
                        SampleReports.bad("FeatureNegotiationSuite#anyValidSubsetIsAccepted", "features",
                                Verdict.FAIL, Severity.LOW, "", "", "refused", "features.dev.2")), List.of());
        String required = HtmlReport.render(onlyShould, SampleReports.REGISTRY, Optional.empty(),
                CertificationLevel.REQUIRED);
        assertThat(required).contains("\u2713 CERTIFIED").contains("evaluated at level <b>REQUIRED</b>");
        assertThat(required).containsPattern("RECOMMENDED</span><span class=\"badge b-fail\">\u2717 FAILS");
        assertThat(HtmlReport.render(onlyShould, SampleReports.REGISTRY, Optional.empty()))
                .as("default level is FULL").contains("\u2717 NOT CERTIFIED");
    }

    @Test
    void everythingIsEscapedAndNothingIsLoadedFromOutside() {
        String html = failing();
        assertThat(html).doesNotContain("<script").doesNotContain("alert('x')")
                .contains("Version register: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; friends");
        assertThat(html).doesNotContain("<link").doesNotContain("src=").doesNotContain("@import")
                .doesNotContain("url(").doesNotContain("http://").doesNotContain("https://");

        TestOutcome hostile = new TestOutcome("Evil\"><img src=x onerror=alert(1)>#t", "<b>bold</b>", "<suite>",
                List.of("mmio.dev.1", "<unknown>"), Verdict.FAIL, Severity.HIGH, "</pre><h1>", "a\u0000b",
                "<iframe>", "<seed>", "rm -rf / <&>", 1, "x");
        RunReport report = RunReport.of(SampleReports.REGISTRY, SampleReports.TOOL,
                new RunReport.Target("<t>", "<script>name</script>", "\"v\""), SampleReports.START, null,
                "<s>", List.of(hostile), List.of("<violation>"));
        String evil = HtmlReport.render(report, SampleReports.REGISTRY, Optional.of(new FuzzSummary("<f>",
                "<seed>", 1000, 5, List.of(), List.of(), List.of(), List.of(new FuzzSummary.Finding("<id>",
                "<kind>", "<sum>", List.of("<r>"), 1, "<cmd>")))));
        assertThat(evil).doesNotContain("<img", "<iframe", "<script", "<b>bold", "</pre><h1>", "<unknown>", "<violation>",
                "<suite>", "<seed>", "<id>", "<kind>", "<sum>", "<cmd>", "<f>", "<t>", "\u0000");
        assertThat(evil).contains("&lt;script&gt;name&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;",
                "rm -rf / &lt;&amp;&gt;", "a\uFFFDb", "the run did not finish", "not in the catalog");
        // Every attribute value is quoted and free of raw quotes from the data.
        Matcher m = Pattern.compile("title=\"([^\"]*)\"").matcher(evil);
        while (m.find()) {
            assertThat(m.group(1)).doesNotContain("<", ">");
        }
    }

    @Test
    void fuzzSummaryDrawsThreeSvgCharts() {
        String withFuzz = HtmlReport.render(SampleReports.failing(), SampleReports.REGISTRY,
                Optional.of(SampleReports.fuzz()));
        String fuzz = section(withFuzz, "fuzz");
        assertThat(count(fuzz, "<svg class=\"chart")).isEqualTo(3);
        assertThat(count(fuzz, "<polyline class=\"series\"")).isEqualTo(3);
        assertThat(fuzz).contains("Executions per second", "Coverage", "Findings (cumulative)")
                .contains("1,012,345", "1234567", "10 min 00 s")
                .contains("descriptor loop of length 1 &lt;hangs&gt; the device")
                .contains("<pre class=\"cmd\"><code>virtio-tck fuzz --replay crash-0001.bin</code></pre>")
                .contains("role=\"img\" aria-label=\"Findings (cumulative): 41 samples, last 3 findings\"");
        // The findings chart is a step function: each sample after the first adds a horizontal point.
        Matcher pts = Pattern.compile("class=\"chart c-find\".*?<polyline class=\"series\" points=\"([^\"]*)\"",
                Pattern.DOTALL).matcher(fuzz);
        assertThat(pts.find()).isTrue();
        assertThat(pts.group(1).split(" ")).hasSize(41 * 2 - 1);

        String without = failing();
        assertThat(without).doesNotContain("<section id=\"fuzz\">").doesNotContain("<svg class=\"chart");
        String empty = HtmlReport.render(SampleReports.passing(), SampleReports.REGISTRY, Optional.of(
                new FuzzSummary("reference", null, 0, 0, List.of(), List.of(), List.of(), List.of())));
        assertThat(count(section(empty, "fuzz"), ">no data</text>")).isEqualTo(3);
        assertThat(section(empty, "fuzz")).contains("The campaign found nothing");
    }

    @Test
    void matrixIsGroupedByAreaWithCoverageBarsAndStatusBadges() {
        String html = HtmlReport.render(SampleReports.passing(), SampleReports.REGISTRY, Optional.empty());
        assertThat(html).contains("\u2713 CERTIFIED");
        String matrix = section(html, "matrix");
        assertThat(matrix).contains("<div class=\"area\" id=\"area-mmio\">", "<div class=\"area\" id=\"area-blk\">",
                "<div class=\"area\" id=\"area-mmio-legacy\">");
        assertThat(matrix.indexOf("id=\"area-status\"")).isLessThan(matrix.indexOf("id=\"area-blk\""));
        Matcher row = Pattern.compile("<tr id=\"req-mmio.dev.1\".*?</tr>", Pattern.DOTALL).matcher(matrix);
        assertThat(row.find()).isTrue();
        assertThat(row.group()).contains("MUST", "4.2.2.1", "The first register holds the magic",
                "\u2713 PASS", "MmioRegisterSuite#<wbr>magicValueIsVirt");
        Matcher skipped = Pattern.compile("<tr id=\"req-blk.dev.48\".*?</tr>", Pattern.DOTALL).matcher(matrix);
        assertThat(skipped.find()).isTrue();
        assertThat(skipped.group()).contains(">SKIPPED</span>");
        assertThat(matrix).contains("NOT COVERED");
        assertThat(matrix).doesNotContain("id=\"req-mmio.drv.1\"").as("driver rules no test cites are hidden");
        assertThat(section(html, "coverage")).contains("aria-label=\"mmio: 6 of 24 covered, 0 not run, 18 uncovered\"");
        assertThat(section(html, "tests")).contains("<details>")
                .contains("needs the legacy (Version 1) transport; this target is modern");
    }

    @Test
    void writeIsAtomicUtf8(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("report.html");
        HtmlReport.write(file, SampleReports.failing(), SampleReports.REGISTRY, Optional.of(SampleReports.fuzz()));
        String html = Files.readString(file);
        assertThat(html).contains("\u2717 NOT CERTIFIED").endsWith("</html>\n");
        try (var listing = Files.list(dir)) {
            assertThat(listing).containsExactly(file);
        }
    }

    @Test
    void fuzzSummaryRoundTripsThroughJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("fuzz.json");
        SampleReports.fuzz().write(file);
        assertThat(FuzzSummary.read(file)).isEqualTo(SampleReports.fuzz());
    }

    @Test
    void escapesAndFormatsHelpers() {
        assertThat(Html.esc("<a href='x'>&\"</a>")).isEqualTo("&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
        assertThat(Html.esc(null)).isEmpty();
        assertThat(HtmlReport.shortId("org.x.FooSuite#bar[1]")).isEqualTo("FooSuite#bar[1]");
        assertThat(SvgCharts.niceStep(730)).isEqualTo(1000);
        assertThat(SvgCharts.niceStep(0.3)).isEqualTo(0.5);
        assertThat(SvgCharts.time(605_000)).isEqualTo("10:05");
        assertThat(SvgCharts.value(1_012_345)).isEqualTo("1M");
        assertThat(SvgCharts.value(12_500)).isEqualTo("12.5k");
    }
}
