package org.virtiotck.reports.matrix;

import org.virtiotck.reports.result.Verdict;

/**
 * The combined verdict of all tests that check one requirement. Declared from strongest to weakest: the
 * aggregate is the strongest status among the covering tests, so a single failure cannot be hidden by passes.
 * CRASH ranks above HANG only to make the order total. ERROR (a harness fault) ranks below the target's own
 * misbehaviour but above WAIVED and PASS, so a requirement whose check broke is never shown as simply passing.
 * BLOCKED (the check could not run because a prerequisite failed) ranks with ERROR: never shown as passing.
 */
public enum RequirementStatus {
    FAIL, CRASH, HANG, ERROR, BLOCKED, WAIVED, PASS, SKIP, NOT_COVERED;

    public static RequirementStatus of(Verdict verdict) {
        return valueOf(verdict.name());
    }

    /** The stronger of two statuses. */
    public RequirementStatus strongest(RequirementStatus other) {
        return compareTo(other) <= 0 ? this : other;
    }
}
