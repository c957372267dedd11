package org.virtiotck.reports.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.virtiotck.reports.json.AtomicFiles;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * A run report as JUnit XML in the Ant/Surefire dialect that CI systems (Jenkins, GitLab, GitHub test reporters,
 * Azure) read: a {@code <testsuites>} root with one {@code <testsuite>} per TCK suite, in order of first appearance.
 *
 * <ul>
 *   <li>{@code <testcase classname name time>}: classname is the part of the test id before {@code #} (the suite
 *       class), name the part after it; time in seconds;</li>
 *   <li>FAIL → {@code <failure message type="FAIL">}; CRASH, HANG, ERROR → {@code <error message type>}; the body
 *       holds requirement ids, expected, observed, message and the replay command;</li>
 *   <li>SKIP → {@code <skipped message>}; WAIVED → {@code <skipped message="waived (was FAIL): reason">}, so a
 *       waived deviation neither fails the CI job nor disappears;</li>
 *   <li>{@code <properties>} on each test case carry {@code requirement} (one per id), {@code verdict} and
 *       {@code severity}; the suite's properties carry the target, tool and seed.</li>
 * </ul>
 *
 * Characters XML 1.0 cannot carry (most C0 controls, lone surrogates) are replaced with {@code U+FFFD}.
 */
public final class JUnitXmlReport {

    private JUnitXmlReport() {
    }

    public static void write(RunReport report, Path file) throws IOException {
        AtomicFiles.write(file, render(report).getBytes(StandardCharsets.UTF_8));
    }

    public static String render(RunReport report) {
        Map<String, List<TestOutcome>> suites = new LinkedHashMap<>();
        for (TestOutcome o : report.outcomes()) {
            suites.computeIfAbsent(o.suite().isEmpty() ? "default" : o.suite(), k -> new java.util.ArrayList<>())
                    .add(o);
        }
        String timestamp = LocalDateTime.ofInstant(report.startedAt().truncatedTo(ChronoUnit.SECONDS),
                ZoneOffset.UTC).toString();
        var out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        Tally all = Tally.of(report.outcomes());
        String runTime = report.finishedAt() == null ? seconds(all.millis)
                : seconds(Duration.between(report.startedAt(), report.finishedAt()).toMillis());
        out.append("<testsuites name=\"").append(attr("virtio-tck " + report.target().uri())).append('"');
        all.attributes(out);
        out.append(" time=\"").append(runTime).append("\" timestamp=\"").append(timestamp).append("\">\n");
        for (var e : suites.entrySet()) {
            Tally t = Tally.of(e.getValue());
            out.append("  <testsuite name=\"").append(attr(e.getKey())).append('"');
            t.attributes(out);
            out.append(" time=\"").append(seconds(t.millis)).append("\" timestamp=\"").append(timestamp)
                    .append("\" hostname=\"").append(attr(report.target().uri())).append("\">\n");
            out.append("    <properties>\n");
            property(out, "      ", "target.uri", report.target().uri());
            property(out, "      ", "target.name", report.target().name());
            property(out, "      ", "target.version", report.target().version());
            property(out, "      ", "tool", report.tool().name() + " " + report.tool().version());
            if (report.seed() != null) {
                property(out, "      ", "seed", report.seed());
            }
            out.append("    </properties>\n");
            for (TestOutcome o : e.getValue()) {
                testcase(out, o);
            }
            out.append("  </testsuite>\n");
        }
        return out.append("</testsuites>\n").toString();
    }

    private static void testcase(StringBuilder out, TestOutcome o) {
        String id = o.testId();
        int hash = id.indexOf('#');
        String classname = hash < 0 ? o.suite() : id.substring(0, hash);
        String name = hash < 0 ? id : id.substring(hash + 1);
        out.append("    <testcase classname=\"").append(attr(classname)).append("\" name=\"").append(attr(name))
                .append("\" time=\"").append(seconds(o.durationMillis())).append("\">\n");
        out.append("      <properties>\n");
        for (String r : o.requirementIds()) {
            property(out, "        ", "requirement", r);
        }
        property(out, "        ", "verdict", o.verdict().name());
        property(out, "        ", "severity", o.severity().name());
        if (o.seed() != null) {
            property(out, "        ", "seed", o.seed());
        }
        out.append("      </properties>\n");
        String reqs = o.requirementIds().isEmpty() ? "" : "[" + String.join(", ", o.requirementIds()) + "] ";
        switch (o.verdict()) {
            case FAIL -> problem(out, "failure", o, reqs);
            case CRASH, HANG, ERROR, BLOCKED -> problem(out, "error", o, reqs);
            case SKIP -> out.append("      <skipped message=\"").append(attr(o.message())).append("\"/>\n");
            case WAIVED -> out.append("      <skipped message=\"")
                    .append(attr("waived (was " + o.waivedFrom() + "): " + o.waiverReason())).append("\"/>\n");
            case PASS -> { }
        }
        out.append("    </testcase>\n");
    }

    private static void problem(StringBuilder out, String element, TestOutcome o, String reqs) {
        String headline = !o.message().isEmpty() ? o.message()
                : !o.observed().isEmpty() ? "expected " + o.expected() + ", observed " + o.observed()
                : o.verdict().name();
        var body = new StringBuilder();
        body.append(o.verdict()).append(' ').append(reqs).append(o.displayName()).append('\n');
        if (!o.requirementIds().isEmpty()) {
            body.append("requirements: ").append(String.join(", ", o.requirementIds())).append('\n');
        }
        body.append("severity: ").append(o.severity()).append('\n');
        if (!o.expected().isEmpty()) {
            body.append("expected: ").append(o.expected()).append('\n');
        }
        if (!o.observed().isEmpty()) {
            body.append("observed: ").append(o.observed()).append('\n');
        }
        if (!o.message().isEmpty()) {
            body.append("message: ").append(o.message()).append('\n');
        }
        if (o.seed() != null) {
            body.append("seed: ").append(o.seed()).append('\n');
        }
        if (o.replay() != null) {
            body.append("replay: ").append(o.replay()).append('\n');
        }
        out.append("      <").append(element).append(" message=\"").append(attr(reqs + headline))
                .append("\" type=\"").append(o.verdict()).append("\">").append(text(body.toString()))
                .append("</").append(element).append(">\n");
    }

    private static void property(StringBuilder out, String indent, String name, String value) {
        out.append(indent).append("<property name=\"").append(attr(name)).append("\" value=\"").append(attr(value))
                .append("\"/>\n");
    }

    private static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    }

    /** Escapes for an attribute value in double quotes; line breaks and tabs survive as character references. */
    static String attr(String s) {
        var b = new StringBuilder(s.length() + 16);
        forEachXmlChar(s, c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\n' -> b.append("&#10;");
                case '\r' -> b.append("&#13;");
                case '\t' -> b.append("&#9;");
                default -> b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    /** Escapes for element content. */
    static String text(String s) {
        var b = new StringBuilder(s.length() + 16);
        forEachXmlChar(s, c -> {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\r' -> b.append("&#13;");
                default -> b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private static void forEachXmlChar(String s, java.util.function.IntConsumer sink) {
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            boolean legal = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF)
                    || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
            sink.accept(legal ? c : 0xFFFD);
        }
    }

    private record Tally(int tests, int failures, int errors, int skipped, long millis) {
        static Tally of(List<TestOutcome> outcomes) {
            int f = 0;
            int e = 0;
            int s = 0;
            long ms = 0;
            for (TestOutcome o : outcomes) {
                Verdict v = o.verdict();
                if (v == Verdict.FAIL) {
                    f++;
                } else if (v == Verdict.CRASH || v == Verdict.HANG || v == Verdict.ERROR || v == Verdict.BLOCKED) {
                    e++;
                } else if (v == Verdict.SKIP || v == Verdict.WAIVED) {
                    s++;
                }
                ms += o.durationMillis();
            }
            return new Tally(outcomes.size(), f, e, s, ms);
        }

        void attributes(StringBuilder out) {
            out.append(" tests=\"").append(tests).append("\" failures=\"").append(failures).append("\" errors=\"")
                    .append(errors).append("\" skipped=\"").append(skipped).append('"');
        }
    }
}
