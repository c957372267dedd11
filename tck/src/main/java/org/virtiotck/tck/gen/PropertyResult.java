package org.virtiotck.tck.gen;

import java.util.Optional;

/**
 * The outcome of a {@link Property} check.
 *
 * @param <T> the generated type
 */
public final class PropertyResult<T> {
    /** How a check ended. */
    public enum Status {
        /** Every try passed. */
        PASSED,
        /** A try failed; see the counterexamples. */
        FAILED,
        /** Too many test cases were {@linkplain Discard discarded} to run the requested number of tries. */
        EXHAUSTED
    }

    private final String name;
    private final Status status;
    private final long seed;
    private final int triesRequested;
    private final int triesRun;
    private final int discards;
    private final boolean replayed;
    private final int failingTry;
    private final long failingTrySeed;
    private final T original;
    private final String originalDescription;
    private final Throwable originalFailure;
    private final ChoiceSequence originalChoices;
    private final T shrunk;
    private final String shrunkDescription;
    private final Throwable failure;
    private final ChoiceSequence shrunkChoices;
    private final int shrinkSteps;
    private final int shrinkRuns;
    private final boolean shrinkExhausted;

    PropertyResult(String name, Status status, long seed, int triesRequested, int triesRun, int discards,
                   boolean replayed, int failingTry, long failingTrySeed,
                   T original, String originalDescription, Throwable originalFailure, ChoiceSequence originalChoices,
                   T shrunk, String shrunkDescription, Throwable failure, ChoiceSequence shrunkChoices,
                   int shrinkSteps, int shrinkRuns, boolean shrinkExhausted) {
        this.name = name;
        this.status = status;
        this.seed = seed;
        this.triesRequested = triesRequested;
        this.triesRun = triesRun;
        this.discards = discards;
        this.replayed = replayed;
        this.failingTry = failingTry;
        this.failingTrySeed = failingTrySeed;
        this.original = original;
        this.originalDescription = originalDescription;
        this.originalFailure = originalFailure;
        this.originalChoices = originalChoices;
        this.shrunk = shrunk;
        this.shrunkDescription = shrunkDescription;
        this.failure = failure;
        this.shrunkChoices = shrunkChoices;
        this.shrinkSteps = shrinkSteps;
        this.shrinkRuns = shrinkRuns;
        this.shrinkExhausted = shrinkExhausted;
    }

    public String name() {
        return name;
    }

    public Status status() {
        return status;
    }

    public boolean passed() {
        return status == Status.PASSED;
    }

    public boolean failed() {
        return status == Status.FAILED;
    }

    /** The run seed (replay the whole run with {@code -Dvirtio.seed=<seed>}). */
    public long seed() {
        return seed;
    }

    public int triesRequested() {
        return triesRequested;
    }

    /** Tries that generated a value and ran the property (discarded cases excluded), including the failing one. */
    public int triesRun() {
        return triesRun;
    }

    public int discards() {
        return discards;
    }

    /** {@code true} if the check replayed a given choice sequence instead of generating random tries. */
    public boolean replayed() {
        return replayed;
    }

    /** 0-based index of the failing try, or -1. */
    public int failingTry() {
        return failingTry;
    }

    /** The seed of the failing try's {@link Source} (derived from the run seed and the try index). */
    public long failingTrySeed() {
        return failingTrySeed;
    }

    /** The value that first failed (as generated; the property may have mutated it). */
    public Optional<T> originalCounterexample() {
        return Optional.ofNullable(original);
    }

    /** {@code toString} of the original counterexample, taken before the property ran. */
    public String originalDescription() {
        return originalDescription;
    }

    public Throwable originalFailure() {
        return originalFailure;
    }

    public ChoiceSequence originalChoices() {
        return originalChoices;
    }

    /** The shrunk counterexample (regenerated from {@link #shrunkChoices()}). */
    public Optional<T> shrunkCounterexample() {
        return Optional.ofNullable(shrunk);
    }

    /** {@code toString} of the shrunk counterexample, taken before the property ran. */
    public String shrunkDescription() {
        return shrunkDescription;
    }

    /** The failure the shrunk counterexample produces. */
    public Throwable failure() {
        return failure;
    }

    public ChoiceSequence shrunkChoices() {
        return shrunkChoices;
    }

    /** Encoded shrunk choices, for {@code -Dvirtio.replay=...} or {@link Property#replay(String)}; null if passed. */
    public String replayString() {
        return shrunkChoices == null ? null : shrunkChoices.encode();
    }

    public int shrinkSteps() {
        return shrinkSteps;
    }

    public int shrinkRuns() {
        return shrinkRuns;
    }

    /** {@code true} if shrinking stopped on its run or time budget (the counterexample may not be minimal). */
    public boolean shrinkExhausted() {
        return shrinkExhausted;
    }

    /** Throws an {@link AssertionError} describing the failure (with seed and replay hints) unless the check passed. */
    public PropertyResult<T> assertHolds() {
        if (status == Status.PASSED) {
            return this;
        }
        AssertionError e = new AssertionError(report());
        if (failure != null) {
            e.initCause(failure);
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
                        .append(shrunkDescription).append(nl);
                sb.append("  Failure: ").append(describe(failure)).append(nl);
                sb.append("  Original counterexample: ").append(originalDescription).append(nl);
                sb.append("  Original failure: ").append(describe(originalFailure)).append(nl);
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
