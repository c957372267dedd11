package org.virtiotck.reports.result;

import java.util.List;
import java.util.Objects;

/**
 * The result of one test against one target.
 *
 * @param testId          stable id, {@code class#method} or {@code class#method[variant]}
 * @param displayName     human name
 * @param suite           suite or area the test belongs to, e.g. {@code mmio}
 * @param requirementIds  catalog ids the test checks
 * @param verdict         what the test concluded
 * @param severity        how much a finding matters; {@link Severity#NONE} for a pass
 * @param expected        what the requirement demands, in words or values
 * @param observed        what the target did
 * @param message         free-form detail, e.g. a harness stack-trace summary
 * @param seed            seed of a randomised test, or null
 * @param replay          a command line or recipe that replays this exact case, or null
 * @param durationMillis  wall time of the test
 * @param targetUri       the target the test ran against
 * @param waivedFrom      for a {@link Verdict#WAIVED} outcome, the verdict before the waiver; otherwise null
 * @param waiverReason    for a {@link Verdict#WAIVED} outcome, the waiver's reason; otherwise null
 * @param blockedBy       for a {@link Verdict#BLOCKED} outcome, what blocked it (the failed prerequisite and its
 *                        test, or the target fault); otherwise null. The prerequisite's own failure is in
 *                        {@code observed}.
 */
public record TestOutcome(String testId, String displayName, String suite, List<String> requirementIds,
                          Verdict verdict, Severity severity, String expected, String observed, String message,
                          String seed, String replay, long durationMillis, String targetUri,
                          Verdict waivedFrom, String waiverReason, String blockedBy) {

    public TestOutcome {
        Objects.requireNonNull(testId, "testId");
        Objects.requireNonNull(verdict, "verdict");
        displayName = displayName == null ? testId : displayName;
        suite = Objects.requireNonNullElse(suite, "");
        requirementIds = List.copyOf(requirementIds);
        severity = Objects.requireNonNullElse(severity, Severity.NONE);
        expected = Objects.requireNonNullElse(expected, "");
        observed = Objects.requireNonNullElse(observed, "");
        message = Objects.requireNonNullElse(message, "");
        targetUri = Objects.requireNonNullElse(targetUri, "");
        if (durationMillis < 0) {
            throw new IllegalArgumentException("durationMillis < 0: " + durationMillis);
        }
        if ((verdict == Verdict.WAIVED) != (waivedFrom != null)) {
            throw new IllegalArgumentException("waivedFrom must be set exactly when the verdict is WAIVED");
        }
        if ((verdict == Verdict.BLOCKED) != (blockedBy != null)) {
            throw new IllegalArgumentException("blockedBy must be set exactly when the verdict is BLOCKED");
        }
        if (waivedFrom != null && !waivedFrom.isWaivable()) {
            throw new IllegalArgumentException("a " + waivedFrom + " cannot be waived");
        }
    }

    /** An outcome that no waiver has touched. */
    public TestOutcome(String testId, String displayName, String suite, List<String> requirementIds,
                       Verdict verdict, Severity severity, String expected, String observed, String message,
                       String seed, String replay, long durationMillis, String targetUri) {
        this(testId, displayName, suite, requirementIds, verdict, severity, expected, observed, message,
                seed, replay, durationMillis, targetUri, null, null, null);
    }

    /** An outcome with waiver fields and no blocker (every verdict but BLOCKED). */
    public TestOutcome(String testId, String displayName, String suite, List<String> requirementIds,
                       Verdict verdict, Severity severity, String expected, String observed, String message,
                       String seed, String replay, long durationMillis, String targetUri,
                       Verdict waivedFrom, String waiverReason) {
        this(testId, displayName, suite, requirementIds, verdict, severity, expected, observed, message,
                seed, replay, durationMillis, targetUri, waivedFrom, waiverReason, null);
    }

    /** A test that did not run because {@code blockedBy} failed first; {@code why} is that failure. */
    public static TestOutcome blocked(String testId, String displayName, String suite, List<String> requirementIds,
                                      String blockedBy, String why, String targetUri) {
        return new TestOutcome(testId, displayName, suite, requirementIds, Verdict.BLOCKED, Severity.NONE,
                "the test runs once its prerequisite holds", why, "blocked by " + blockedBy, null, null, 0,
                targetUri, null, null, Objects.requireNonNull(blockedBy, "blockedBy"));
    }

    /** This outcome turned into {@link Verdict#WAIVED}, remembering the current verdict and the reason. */
    public TestOutcome waive(String reason) {
        if (!verdict.isWaivable()) {
            throw new IllegalStateException("a " + verdict + " cannot be waived");
        }
        return new TestOutcome(testId, displayName, suite, requirementIds, Verdict.WAIVED, severity, expected,
                observed, message, seed, replay, durationMillis, targetUri, verdict,
                Objects.requireNonNull(reason, "reason"), null);
    }
}
