package org.virtiotck.reports.result;

/** What one test concluded about the target. */
public enum Verdict {
    /** The target behaved as the requirement demands. */
    PASS,
    /** The target broke the requirement. */
    FAIL,
    /** The target died (process exit, VM abort, fatal fault) while under test. */
    CRASH,
    /**
     * The target stopped answering: a register or guest-memory access got no reply within its bound. A request
     * that is not completed while the device still answers is a FAIL of the liveness requirement, not a HANG.
     */
    HANG,
    /** The test did not run, e.g. the target lacks a feature or capability the test needs. */
    SKIP,
    /** A FAIL, CRASH or HANG that a waiver file accepts; the original verdict is kept in the outcome. */
    WAIVED,
    /** The harness itself failed; never the target's fault, and never evidence about the requirement. */
    ERROR,
    /**
     * The test was not run because something it needs does not work on this target: a prerequisite the smoke
     * stage measured failed (the device never completes a request, say), or the target stopped answering and
     * cannot be brought back. Never a pass, never waivable; the outcome names what blocked it. Certification at
     * any level that needs the test fails.
     */
    BLOCKED;

    /** True for the verdicts a waiver may turn into {@link #WAIVED}. */
    public boolean isWaivable() {
        return this == FAIL || this == CRASH || this == HANG;
    }

    /**
     * True when the test exercised the target and reached a conclusion about it. SKIP, ERROR and BLOCKED say
     * nothing about the requirement, so they do not count toward coverage.
     */
    public boolean exercisedTarget() {
        return this != SKIP && this != ERROR && this != BLOCKED;
    }
}
