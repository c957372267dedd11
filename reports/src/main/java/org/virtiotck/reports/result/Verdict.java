package org.virtiotck.reports.result;

/** What one test concluded about the target. */
public enum Verdict {
    /** The target behaved as the requirement demands. */
    PASS,
    /** The target broke the requirement. */
    FAIL,
    /** The target died (process exit, VM abort, fatal fault) while under test. */
    CRASH,
    /** The target stopped responding within the test's deadline. */
    HANG,
    /** The test did not run, e.g. the target lacks a feature or capability the test needs. */
    SKIP,
    /** A FAIL, CRASH or HANG that a waiver file accepts; the original verdict is kept in the outcome. */
    WAIVED,
    /** The harness itself failed; never the target's fault, and never evidence about the requirement. */
    ERROR;

    /** True for the verdicts a waiver may turn into {@link #WAIVED}. */
    public boolean isWaivable() {
        return this == FAIL || this == CRASH || this == HANG;
    }

    /**
     * True when the test exercised the target and reached a conclusion about it. SKIP and ERROR say nothing about
     * the target, so they do not count toward coverage.
     */
    public boolean exercisedTarget() {
        return this != SKIP && this != ERROR;
    }
}
