package org.virtiotck.tck.gen;

/**
 * Thrown by generators to abandon the current test case without it counting as a failure: a {@link Gen#filter}
 * that ran out of retries, a {@link Source} that exceeded its choice budget, or an explicit {@link #discard}.
 * Property runners count discards; the shrinker treats a discarded candidate as "does not fail".
 */
public class Discard extends RuntimeException {
    public Discard(String message) {
        super(message, null, false, false);
    }

    /** Abandons the current test case. Usable inside generators and property bodies (an assumption). */
    public static Discard discard(String why) {
        throw new Discard(why);
    }

    /** Abandons the current test case unless {@code condition} holds. */
    public static void assume(boolean condition) {
        if (!condition) {
            throw new Discard("assumption failed");
        }
    }

    /** Thrown when a generator draws more choices than the {@link Source}'s limit. */
    public static final class Overrun extends Discard {
        public Overrun(String message) {
            super(message);
        }
    }
}
