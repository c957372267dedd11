package org.virtiotck.reports.compare;

import java.util.List;
import java.util.Objects;
import org.virtiotck.reports.json.RunReport;
import org.virtiotck.reports.matrix.Coverage;
import org.virtiotck.reports.result.Verdict;

/**
 * What changed between two runs, by test id and by requirement id. "Bad" means FAIL, CRASH, HANG or ERROR.
 *
 * @param oldTarget                  target of the old run
 * @param newTarget                  target of the new run
 * @param newFailures                tests bad in the new run that were not bad in the old one (passed, skipped,
 *                                   waived or absent): the regressions
 * @param fixes                      tests bad in the old run that pass in the new one
 * @param stillFailing               tests bad in both runs
 * @param otherChanges               every other verdict change, including tests that disappeared
 * @param newlyFailingRequirementIds requirements some bad test cites now and none did before
 * @param fixedRequirementIds        requirements some bad test cited before and none does now
 * @param newlyCovered               requirements a test exercised (a verdict other than SKIP/ERROR) now but not
 *                                   before
 * @param noLongerCovered            requirements exercised before but not now
 * @param coverageBefore             the old run's coverage by area family, as recorded in its report
 * @param coverageAfter              the new run's coverage by area family
 */
public record Comparison(RunReport.Target oldTarget, RunReport.Target newTarget, List<TestChange> newFailures,
                         List<TestChange> fixes, List<TestChange> stillFailing, List<TestChange> otherChanges,
                         List<String> newlyFailingRequirementIds, List<String> fixedRequirementIds,
                         List<String> newlyCovered, List<String> noLongerCovered, Coverage coverageBefore,
                         Coverage coverageAfter) {

    public Comparison {
        Objects.requireNonNull(oldTarget, "oldTarget");
        Objects.requireNonNull(newTarget, "newTarget");
        newFailures = List.copyOf(newFailures);
        fixes = List.copyOf(fixes);
        stillFailing = List.copyOf(stillFailing);
        otherChanges = List.copyOf(otherChanges);
        newlyFailingRequirementIds = List.copyOf(newlyFailingRequirementIds);
        fixedRequirementIds = List.copyOf(fixedRequirementIds);
        newlyCovered = List.copyOf(newlyCovered);
        noLongerCovered = List.copyOf(noLongerCovered);
        Objects.requireNonNull(coverageBefore, "coverageBefore");
        Objects.requireNonNull(coverageAfter, "coverageAfter");
    }

    /** True when the new run has a FAIL, CRASH, HANG or ERROR on a test that was not bad before. */
    public boolean hasRegressions() {
        return !newFailures.isEmpty();
    }

    /**
     * One test whose verdict is reported.
     *
     * @param testId         stable test id
     * @param displayName    human name (from the new run when present)
     * @param requirementIds ids the test cites (new run when present)
     * @param before         verdict in the old run, or null when the test did not exist
     * @param after          verdict in the new run, or null when the test disappeared
     * @param message        the new run's message for a bad verdict, else empty
     */
    public record TestChange(String testId, String displayName, List<String> requirementIds, Verdict before,
                             Verdict after, String message) {
        public TestChange {
            Objects.requireNonNull(testId, "testId");
            requirementIds = List.copyOf(requirementIds);
            message = Objects.requireNonNullElse(message, "");
        }
    }
}
