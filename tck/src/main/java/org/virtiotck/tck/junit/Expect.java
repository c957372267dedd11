package org.virtiotck.tck.junit;

import java.util.Objects;

/** Small assertion helpers that say what the spec expects and what the target did. */
public final class Expect {
    private Expect() {}

    public static void equal(String what, long expected, long observed) {
        if (expected != observed) {
            throw new ConformanceFailure(what + " = 0x" + Long.toHexString(expected),
                    what + " = 0x" + Long.toHexString(observed), false);
        }
    }

    public static void equal(String what, Object expected, Object observed) {
        if (!Objects.equals(expected, observed)) {
            throw new ConformanceFailure(what + " = " + expected, what + " = " + observed, false);
        }
    }

    public static void that(boolean condition, String expected, String observed) {
        if (!condition) {
            throw new ConformanceFailure(expected, observed, false);
        }
    }

    /** Like {@link #that} but the failure is memory or disk corruption. */
    public static void noCorruption(boolean intact, String expected, String observed) {
        if (!intact) {
            throw new ConformanceFailure(expected, observed, true);
        }
    }
}
