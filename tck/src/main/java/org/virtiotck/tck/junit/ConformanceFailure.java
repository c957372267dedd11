package org.virtiotck.tck.junit;

/**
 * A test's finding that the target broke a requirement, with what was expected and what was observed.
 * Tests throw it through {@link Expect}; AssertJ failures are understood as well.
 */
public class ConformanceFailure extends AssertionError {
    private static final long serialVersionUID = 1L;

    private final String expected;
    private final String observed;
    private final boolean corruption;

    public ConformanceFailure(String expected, String observed, boolean corruption) {
        super("expected " + expected + ", observed " + observed);
        this.expected = expected;
        this.observed = observed;
        this.corruption = corruption;
    }

    public String expected() {
        return expected;
    }

    public String observed() {
        return observed;
    }

    /** Whether the finding is guest-memory or disk corruption (critical severity). */
    public boolean corruption() {
        return corruption;
    }
}
