package org.virtiotck.tck.junit;

import org.opentest4j.TestAbortedException;

/**
 * A test was not run because something it needs does not work on this target: a failed prerequisite, or a
 * target that stopped answering and cannot be brought back. JUnit sees an aborted test; the reports show
 * BLOCKED with {@link #blocker()} and {@link #why()}.
 */
public final class Blocked extends TestAbortedException {
    private static final long serialVersionUID = 1L;

    private final String blocker;
    private final String why;

    public Blocked(String blocker, String why) {
        super("BLOCKED by " + blocker + ": " + why);
        this.blocker = blocker;
        this.why = why;
    }

    /** What blocked the test, e.g. "prerequisite 'one request completes' (SmokeSuite#oneRequestCompletes)". */
    public String blocker() {
        return blocker;
    }

    /** The blocker's own failure. */
    public String why() {
        return why;
    }
}
