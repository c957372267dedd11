package org.virtiotck.reports.html;

import static org.virtiotck.reports.html.Html.badge;
import static org.virtiotck.reports.html.Html.clock;
import static org.virtiotck.reports.html.Html.duration;
import static org.virtiotck.reports.html.Html.esc;
import static org.virtiotck.reports.html.Html.idList;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The page's fuzzing-campaign section: the campaign's figures, its three charts and the table of findings. */
final class FuzzSection {

    private FuzzSection() {
    }

    static void render(StringBuilder out, FuzzSummary f) {
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
}
