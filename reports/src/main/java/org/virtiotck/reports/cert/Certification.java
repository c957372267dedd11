package org.virtiotck.reports.cert;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.virtiotck.reports.RequirementRegistry;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.result.TestOutcome;
import org.virtiotck.reports.result.Verdict;

/**
 * Decides whether a run certifies its target at a {@link CertificationLevel}.
 *
 * <p>The level of an outcome is the strongest level among the requirement ids it cites (see
 * {@link CertificationLevel#of(org.virtiotck.reports.Requirement)}). An outcome blocks when its level is included in
 * the evaluated level and its verdict is FAIL, CRASH, HANG, ERROR or BLOCKED. WAIVED and SKIP never block. ERROR
 * and BLOCKED block because a requirement whose check broke or could not run has not been shown to hold.
 *
 * <p>Two run-wide conditions also refuse certification, with empty blocking lists and the reason in the summary:
 * a run that never finished ({@code finishedAt} null: the tool died or was killed) and a run with no outcomes.
 */
public final class Certification {

    private Certification() {
    }

    /** True for the verdicts that can block certification. */
    public static boolean isBlockingVerdict(Verdict verdict) {
        return verdict == Verdict.FAIL || verdict == Verdict.CRASH || verdict == Verdict.HANG
                || verdict == Verdict.ERROR || verdict == Verdict.BLOCKED;
    }

    /** The level of one outcome: the strongest level among its requirement ids. */
    public static CertificationLevel levelOf(TestOutcome outcome, RequirementRegistry registry) {
        return CertificationLevel.strongest(outcome.requirementIds(), registry);
    }

    /** True when this outcome alone prevents certification at {@code level}. */
    public static boolean blocks(TestOutcome outcome, RequirementRegistry registry, CertificationLevel level) {
        return isBlockingVerdict(outcome.verdict()) && level.includes(levelOf(outcome, registry));
    }

    public static CertificationResult evaluate(RunReport report, RequirementRegistry registry,
                                               CertificationLevel level) {
        List<String> tests = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (TestOutcome o : report.outcomes()) {
            if (blocks(o, registry, level)) {
                tests.add(o.testId());
                for (String id : o.requirementIds()) {
                    if (level.includes(CertificationLevel.of(id, registry))) {
                        ids.add(id);
                    }
                }
            }
        }
        List<String> requirementIds = new ArrayList<>();
        registry.ids().stream().filter(ids::contains).forEach(requirementIds::add);
        ids.stream().filter(id -> !registry.exists(id)).forEach(requirementIds::add);

        String target = report.target().uri();
        String summary;
        boolean certified;
        if (report.finishedAt() == null) {
            certified = false;
            summary = "NOT CERTIFIED at " + level + ": " + target + " (the run did not finish; "
                    + report.outcomes().size() + " outcomes recorded)";
        } else if (report.outcomes().isEmpty()) {
            certified = false;
            summary = "NOT CERTIFIED at " + level + ": " + target + " (the run has no test outcomes)";
        } else if (!tests.isEmpty()) {
            certified = false;
            summary = "NOT CERTIFIED at " + level + ": " + target + " (" + tests.size() + " blocking "
                    + (tests.size() == 1 ? "test" : "tests") + " on " + requirementIds.size() + " "
                    + (requirementIds.size() == 1 ? "requirement" : "requirements") + ")";
        } else {
            certified = true;
            long waived = report.outcomes().stream().filter(o -> o.verdict() == Verdict.WAIVED).count();
            summary = "CERTIFIED at " + level + ": " + target + " (" + report.outcomes().size() + " tests"
                    + (waived == 0 ? "" : ", " + waived + " waived") + ")";
        }
        return new CertificationResult(certified, level, tests, requirementIds, summary);
    }
}
