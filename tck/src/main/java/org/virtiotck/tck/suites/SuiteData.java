package org.virtiotck.tck.suites;

import java.util.SplittableRandom;

/** Test data with a recognisable, seed-dependent pattern. */
final class SuiteData {
    private SuiteData() {}

    static byte[] pattern(int length, long seed) {
        byte[] b = new byte[length];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }
}
