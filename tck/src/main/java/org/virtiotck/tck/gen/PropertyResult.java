package org.virtiotck.tck.gen;

import java.util.Optional;

/**
 * The outcome of a {@link Property} check.
 *
 * @param name            the property's name (may be null or blank)
 * @param status          how the check ended
 * @param seed            the run seed (replay the whole run with {@code -Dvirtio.seed=<seed>})
 * @param triesRequested  the tries asked for
 * @param triesRun        tries that generated a value and ran the property (discarded cases excluded), including
 *                        the failing one
 * @param discards        test cases {@linkplain Discard discarded}
 * @param replayed        {@code true} if the check replayed a given choice sequence instead of generating random
 *                        tries
 * @param failingTry      0-based index of the failing try, or -1
 * @param failingTrySeed  the seed of the failing try's {@link Source} (derived from the run seed and the try index)
 * @param original        the case that first failed (as generated; the property may have mutated its value), or
 *                        {@link Case#none()}
 * @param shrunk          the shrunk case (regenerated from its choices), or {@link Case#none()}
 * @param shrinkSteps     successful shrink steps
 * @param shrinkRuns      property runs the shrinker made
 * @param shrinkExhausted {@code true} if shrinking stopped on its run or time budget (the counterexample may not
 *                        be minimal)
 * @param <T> the generated type
 */
public record PropertyResult<T>(String name, Status status, long seed, int triesRequested, int triesRun,
                                int discards, boolean replayed, int failingTry, long failingTrySeed,
                                Case<T> original, Case<T> shrunk,
                                int shrinkSteps, int shrinkRuns, boolean shrinkExhausted) {
    /** How a check ended. */
    public enum Status {
        /** Every try passed. */
        PASSED,
        /** A try failed; see the counterexamples. */
        FAILED,
        /** Too many test cases were {@linkplain Discard discarded} to run the requested number of tries. */
        EXHAUSTED
    }

    /**
     * One generated test case and what running the property on it did.
     *
     * @param value       the generated value (null if the generator threw, or for {@link #none()})
     * @param description {@code toString} of the value, taken before the property ran (null when not taken)
     * @param failure     what the property threw, or null if it held
     * @param choices     the choices the value was generated from
     * @param <T> the generated type
     */
    public record Case<T>(T value, String description, Throwable failure, ChoiceSequence choices) {
        /** No case: what a result that did not fail holds for its counterexamples. */
        public static <T> Case<T> none() {
            return new Case<>(null, null, null, null);
        }

        /** The value, when there is one. */
        public Optional<T> counterexample() {
            return Optional.ofNullable(value);
        }
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** The failure the shrunk counterexample produces (null if the check did not fail). */
    public Throwable failure() {
        return shrunk.failure();
    }

    /** Encoded shrunk choices, for {@code -Dvirtio.replay=...} or {@link Property#replay(String)}; null if passed. */
    public String replayString() {
        return shrunk.choices() == null ? null : shrunk.choices().encode();
    }

    /** Throws an {@link AssertionError} describing the failure (with seed and replay hints) unless the check passed. */
    public PropertyResult<T> assertHolds() {
        if (status == Status.PASSED) {
            return this;
        }
        AssertionError e = new AssertionError(report());
        if (failure() != null) {
            e.initCause(failure());
        }
        throw e;
    }

    /** A human-readable report: seed, counterexamples, failure messages, and how to replay. */
    public String report() {
        String title = name == null || name.isBlank() ? "Property" : "Property '" + name + "'";
        StringBuilder sb = new StringBuilder();
        switch (status) {
            case PASSED -> sb.append(title).append(" passed ").append(triesRun).append(" tries (seed ")
                    .append(seed).append(", ").append(discards).append(" discarded).");
            case EXHAUSTED -> sb.append(title).append(" gave up: only ").append(triesRun).append(" of ")
                    .append(triesRequested).append(" tries ran; ").append(discards)
                    .append(" test cases were discarded (filters or assumptions too strict). seed ").append(seed)
                    .append(System.lineSeparator()).append("  Replay: -D").append(Property.SEED_PROPERTY).append('=')
                    .append(seed);
            case FAILED -> {
                String nl = System.lineSeparator();
                sb.append(title).append(" falsified");
                if (replayed) {
                    sb.append(" by the replayed choice sequence");
                } else {
                    sb.append(" at try ").append(failingTry + 1).append(" of ").append(triesRequested);
                }
                sb.append(" (seed ").append(seed).append(")").append(nl);
                sb.append("  Shrunk counterexample (").append(shrinkSteps).append(" shrink steps, ").append(shrinkRuns)
                        .append(" runs").append(shrinkExhausted ? ", budget exhausted" : "").append("): ")
                        .append(shrunk.description()).append(nl);
                sb.append("  Failure: ").append(describe(shrunk.failure())).append(nl);
                sb.append("  Original counterexample: ").append(original.description()).append(nl);
                sb.append("  Original failure: ").append(describe(original.failure())).append(nl);
                sb.append("  Replay the run:           -D").append(Property.SEED_PROPERTY).append('=').append(seed)
                        .append(nl);
                sb.append("  Replay the shrunk case:   -D").append(Property.REPLAY_PROPERTY).append('=')
                        .append(replayString());
                if (!replayed) {
                    sb.append(nl).append("  Replay the failing try:   Property.forAll(gen).trySeed(").append(failingTrySeed)
                            .append(")");
                }
            }
        }
        return sb.toString();
    }

    private static String describe(Throwable t) {
        if (t == null) {
            return "(none)";
        }
        if (t instanceof Property.Falsified) {
            return t.getMessage();
        }
        return t.getClass().getName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    @Override
    public String toString() {
        return report();
    }
}
