package org.virtiotck.reports.html;

import static org.virtiotck.reports.html.Html.esc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small inline SVG charts: no scripts, no external resources, readable without colour (labels carry numbers). */
final class SvgCharts {

    private SvgCharts() {
    }

    /** One segment of a stacked bar. */
    record Segment(String label, double value, String cssClass) {
    }

    /** A horizontal stacked bar filling its container's width. */
    static String stackedBar(List<Segment> segments, String ariaLabel, int height) {
        double total = segments.stream().mapToDouble(Segment::value).sum();
        var out = new StringBuilder();
        out.append("<svg class=\"bar\" role=\"img\" aria-label=\"").append(esc(ariaLabel))
                .append("\" viewBox=\"0 0 1000 ").append(height).append("\" preserveAspectRatio=\"none\" height=\"")
                .append(height).append("\"><title>").append(esc(ariaLabel)).append("</title>");
        out.append("<rect class=\"bar-bg\" x=\"0\" y=\"0\" width=\"1000\" height=\"").append(height)
                .append("\"/>");
        double x = 0;
        if (total > 0) {
            for (Segment s : segments) {
                if (s.value() <= 0) {
                    continue;
                }
                double w = 1000 * s.value() / total;
                out.append("<rect class=\"").append(s.cssClass()).append("\" x=\"").append(num(x))
                        .append("\" y=\"0\" width=\"").append(num(w)).append("\" height=\"").append(height)
                        .append("\"><title>").append(esc(s.label())).append("</title></rect>");
                x += w;
            }
        }
        return out.append("</svg>").toString();
    }

    /**
     * A line chart of a time series.
     *
     * @param xs     elapsed milliseconds
     * @param ys     values
     * @param step   draw as a step function (for cumulative counts)
     * @param klass  CSS class selecting the series colour
     */
    static String line(String title, String yUnit, List<Long> xs, List<Double> ys, boolean step, String klass) {
        int w = 420;
        int h = 230;
        int left = 56;
        int right = 26;
        int top = 14;
        int bottom = 40;
        var out = new StringBuilder();
        String label = title + ": " + (xs.isEmpty() ? "no data" : xs.size() + " samples, last "
                + value(ys.getLast()) + " " + yUnit);
        out.append("<svg class=\"chart ").append(klass).append("\" role=\"img\" aria-label=\"").append(esc(label))
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\"><title>").append(esc(label))
                .append("</title>");
        int pw = w - left - right;
        int ph = h - top - bottom;
        if (xs.isEmpty()) {
            out.append("<rect class=\"plot\" x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"")
                    .append(pw).append("\" height=\"").append(ph).append("\"/>");
            out.append("<text class=\"nodata\" x=\"").append(left + pw / 2).append("\" y=\"").append(top + ph / 2)
                    .append("\" text-anchor=\"middle\">no data</text></svg>");
            return out.toString();
        }
        double xMax = Math.max(1, xs.stream().mapToLong(Long::longValue).max().orElse(1));
        double yMaxData = ys.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        double yMinData = Math.min(0, ys.stream().mapToDouble(Double::doubleValue).min().orElse(0));
        double yStep = niceStep((yMaxData - yMinData) / 4.0);
        double yMin = Math.floor(yMinData / yStep) * yStep;
        double yMax = Math.max(yMin + yStep, Math.ceil(yMaxData / yStep) * yStep);
        out.append("<rect class=\"plot\" x=\"").append(left).append("\" y=\"").append(top).append("\" width=\"")
                .append(pw).append("\" height=\"").append(ph).append("\"/>");
        for (double v = yMin; v <= yMax + yStep / 2; v += yStep) {
            double y = top + ph - (v - yMin) / (yMax - yMin) * ph;
            out.append("<line class=\"grid\" x1=\"").append(left).append("\" x2=\"").append(left + pw)
                    .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>");
            out.append("<text class=\"tick\" x=\"").append(left - 6).append("\" y=\"").append(num(y + 4))
                    .append("\" text-anchor=\"end\">").append(esc(value(v))).append("</text>");
        }
        long tStep = timeStep(xMax);
        for (long t = 0; t <= xMax; t += tStep) {
            double x = left + t / xMax * pw;
            out.append("<line class=\"grid\" x1=\"").append(num(x)).append("\" x2=\"").append(num(x))
                    .append("\" y1=\"").append(top).append("\" y2=\"").append(top + ph).append("\"/>");
            out.append("<text class=\"tick\" x=\"").append(num(x)).append("\" y=\"").append(top + ph + 16)
                    .append("\" text-anchor=\"middle\">").append(esc(time(t))).append("</text>");
        }
        out.append("<text class=\"axis\" x=\"").append(left + pw / 2).append("\" y=\"").append(h - 4)
                .append("\" text-anchor=\"middle\">elapsed (").append(tStep >= 60_000 ? "min:s" : "s")
                .append(")</text>");
        List<String> pts = new ArrayList<>();
        double prevY = Double.NaN;
        for (int i = 0; i < xs.size(); i++) {
            double x = left + xs.get(i) / xMax * pw;
            double y = top + ph - (ys.get(i) - yMin) / (yMax - yMin) * ph;
            if (step && !Double.isNaN(prevY)) {
                pts.add(num(x) + "," + num(prevY));
            }
            pts.add(num(x) + "," + num(y));
            prevY = y;
        }
        String first = pts.getFirst().split(",")[0];
        String last = pts.getLast().split(",")[0];
        out.append("<polygon class=\"area\" points=\"").append(first).append(',').append(top + ph).append(' ')
                .append(String.join(" ", pts)).append(' ').append(last).append(',').append(top + ph)
                .append("\"/>");
        out.append("<polyline class=\"series\" points=\"").append(String.join(" ", pts)).append("\"/>");
        if (xs.size() == 1) {
            String[] p = pts.getFirst().split(",");
            out.append("<circle class=\"dot\" cx=\"").append(p[0]).append("\" cy=\"").append(p[1])
                    .append("\" r=\"3\"/>");
        }
        return out.append("</svg>").toString();
    }

    static double niceStep(double raw) {
        if (!(raw > 0) || Double.isInfinite(raw)) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double f = raw / mag;
        double nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10;
        return nice * mag;
    }

    private static long timeStep(double maxMillis) {
        long[] steps = {1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
                1_800_000, 3_600_000, 7_200_000, 14_400_000, 21_600_000, 43_200_000, 86_400_000};
        for (long s : steps) {
            if (maxMillis / s <= 6) {
                return s;
            }
        }
        return (long) niceStep(maxMillis / 6);
    }

    static String time(long millis) {
        long s = millis / 1000;
        if (s < 60 && millis < 60_000) {
            return s + "";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    static String value(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e6)) + "M";
        }
        if (a >= 1e4) {
            return trim(String.format(Locale.ROOT, "%.1f", v / 1e3)) + "k";
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return trim(String.format(Locale.ROOT, "%.2f", v));
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String num(double d) {
        return trim(String.format(Locale.ROOT, "%.1f", d));
    }
}
