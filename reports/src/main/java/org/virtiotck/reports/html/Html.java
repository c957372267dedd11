package org.virtiotck.reports.html;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.virtiotck.reports.matrix.RequirementStatus;
import org.virtiotck.reports.result.Verdict;

/**
 * HTML escaping, and the small pieces of markup every section of the page uses (badges, id lists, bars, times).
 * Every piece of report data goes through {@link #esc} before it reaches the page.
 */
final class Html {

    private Html() {
    }

    /** Escapes text for element content and for attribute values in either kind of quotes. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        var b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                case '\t', '\n', '\r' -> b.appendCodePoint(c);
                default -> {
                    if (c < 0x20 || c == 0x7F || (c >= 0xD800 && c <= 0xDFFF)) {
                        b.append('\uFFFD');
                    } else {
                        b.appendCodePoint(c);
                    }
                }
            }
        }
        return b.toString();
    }

    static String idList(List<String> ids) {
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

    static String badge(String cssClass, String text) {
        return "<span class=\"badge " + cssClass + "\">" + text + "</span>";
    }

    static String verdictLabel(Verdict v) {
        return v == Verdict.SKIP ? "SKIPPED" : v.name();
    }

    static String cls(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT);
    }

    static String verdictBadge(Verdict v) {
        String glyph = switch (v) {
            case PASS -> "\u2713 ";
            case FAIL, CRASH, HANG, ERROR, BLOCKED -> "\u2717 ";
            default -> "";
        };
        return badge("b-" + cls(v), glyph + verdictLabel(v));
    }

    static String statusBadge(RequirementStatus s) {
        return switch (s) {
            case NOT_COVERED -> badge("b-none", "NOT COVERED");
            default -> verdictBadge(Verdict.valueOf(s.name()));
        };
    }



    static String percent(int testable, double percent) {
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

    /** The covered / not run / uncovered bar of one area (or of all). */
    static String coverageBar(String area, int testable, int covered, int notRun, int uncovered) {
        return SvgCharts.stackedBar(List.of(
                new SvgCharts.Segment("covered: " + covered, covered, "s-covered"),
                new SvgCharts.Segment("not run: " + notRun, notRun, "s-notrun"),
                new SvgCharts.Segment("uncovered: " + uncovered, uncovered, "s-uncovered")),
                area + ": " + covered + " of " + testable + " covered, " + notRun + " not run, " + uncovered
                        + " uncovered", 12);
    }
}
