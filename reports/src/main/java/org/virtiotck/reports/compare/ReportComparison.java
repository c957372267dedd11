package org.virtiotck.reports.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * Compares two run reports test by test and requirement by requirement. No registry is needed: everything comes
 * from the reports. Tests are keyed by test id; a test id appearing twice in one run (a re-run) counts by its
 * worst verdict.
 */
public final class ReportComparison {

    private ReportComparison() {
    }

    static boolean bad(Verdict v) {
        return v == Verdict.FAIL || v == Verdict.CRASH || v == Verdict.HANG || v == Verdict.ERROR
                || v == Verdict.BLOCKED;
    }

    public static Comparison compare(RunReport oldReport, RunReport newReport) {
        Map<String, TestOutcome> before = byTest(oldReport);
        Map<String, TestOutcome> after = byTest(newReport);
        List<Comparison.TestChange> newFailures = new ArrayList<>();
        List<Comparison.TestChange> fixes = new ArrayList<>();
        List<Comparison.TestChange> still = new ArrayList<>();
        List<Comparison.TestChange> other = new ArrayList<>();
        for (TestOutcome now : after.values()) {
            TestOutcome was = before.get(now.testId());
            Verdict b = was == null ? null : was.verdict();
            Comparison.TestChange change = new Comparison.TestChange(now.testId(), now.displayName(),
                    now.requirementIds(), b, now.verdict(), bad(now.verdict()) ? now.message() : "");
            if (bad(now.verdict())) {
                (b != null && bad(b) ? still : newFailures).add(change);
            } else if (b != null && bad(b) && now.verdict() == Verdict.PASS) {
                fixes.add(change);
            } else if (b != now.verdict()) {
                other.add(change);
            }
        }
        for (TestOutcome was : before.values()) {
            if (!after.containsKey(was.testId())) {
                other.add(new Comparison.TestChange(was.testId(), was.displayName(), was.requirementIds(),
                        was.verdict(), null, ""));
            }
        }
        Set<String> failingBefore = failingRequirements(oldReport);
        Set<String> failingAfter = failingRequirements(newReport);
        Set<String> coveredBefore = exercised(oldReport);
        Set<String> coveredAfter = exercised(newReport);
        return new Comparison(oldReport.target(), newReport.target(), newFailures, fixes, still, other,
                minus(failingAfter, failingBefore), minus(failingBefore, failingAfter),
                minus(coveredAfter, coveredBefore), minus(coveredBefore, coveredAfter),
                oldReport.matrix().coverageByFamily(), newReport.matrix().coverageByFamily());
    }

    private static Map<String, TestOutcome> byTest(RunReport report) {
        Map<String, TestOutcome> map = new LinkedHashMap<>();
        for (TestOutcome o : report.outcomes()) {
            map.merge(o.testId(), o, (a, b) -> rank(b.verdict()) < rank(a.verdict()) ? b : a);
        }
        return map;
    }

    /** Lower is worse: bad verdicts first, then WAIVED, SKIP, PASS. */
    private static int rank(Verdict v) {
        return switch (v) {
            case FAIL -> 0;
            case CRASH -> 1;
            case HANG -> 2;
            case ERROR -> 3;
            case BLOCKED -> 4;
            case WAIVED -> 5;
            case SKIP -> 6;
            case PASS -> 7;
        };
    }

    private static Set<String> failingRequirements(RunReport report) {
        Set<String> ids = new LinkedHashSet<>();
        report.outcomes().stream().filter(o -> bad(o.verdict())).forEach(o -> ids.addAll(o.requirementIds()));
        return ids;
    }

    private static Set<String> exercised(RunReport report) {
        Set<String> ids = new LinkedHashSet<>();
        report.outcomes().stream().filter(o -> o.verdict().exercisedTarget())
                .forEach(o -> ids.addAll(o.requirementIds()));
        return ids;
    }

    private static List<String> minus(Set<String> a, Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).toList();
    }
}
