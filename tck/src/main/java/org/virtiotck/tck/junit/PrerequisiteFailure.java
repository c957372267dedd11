package org.virtiotck.tck.junit;

/**
 * The smoke stage found a prerequisite broken: a FAIL of the ids whose conditions held, reported by SmokeSuite.
 * A device that stopped serving without signalling DEVICE_NEEDS_RESET is {@link #wedged()} (severity HIGH: a
 * guest's disk would hang).
 */
public final class PrerequisiteFailure extends ConformanceFailure {
    private static final long serialVersionUID = 1L;

    private final boolean wedged;

    PrerequisiteFailure(SmokeStage.Check check) {
        super(check.expected(), check.observed(), false);
        this.wedged = check.wedged();
    }

    public boolean wedged() {
        return wedged;
    }
}
