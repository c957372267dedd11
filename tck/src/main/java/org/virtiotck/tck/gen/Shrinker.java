package org.virtiotck.tck.gen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Minimizes a failing {@link ChoiceSequence}: edits the choices (deletes spans and blocks, zeroes them, lowers
 * individual choices by binary search, moves amounts between choices, sorts sibling spans), re-runs the test on each
 * edit, and keeps edits that still fail and are strictly simpler in shortlex order. Because it works on choices, it
 * shrinks any value a {@link Gen} can produce, including dependent ({@link Gen#flatMap}) structures.
 *
 * <p>Bounded by a number of test runs and a wall-clock budget. For a given start sequence and deterministic test it
 * is deterministic, unless the time budget cuts it short.
 *
 * <p>Usable on its own (e.g. by the fuzzer):
 * <pre>{@code
 * Shrinker.Result r = Shrinker.defaults().shrink(failing, Shrinker.Target.of(programGen, p -> crashes(p)));
 * Program minimal = programGen.replay(r.best());
 * }</pre>
 */
public final class Shrinker {
    /** Default maximum number of test runs while shrinking. */
    public static final int DEFAULT_MAX_RUNS = 2000;
    /** Default wall-clock budget for shrinking. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /**
     * Runs one candidate. Returns the choices the run actually consumed (normally via {@link Source#choices()}, which
     * may be shorter than the candidate and carries spans) if the candidate <em>still fails in the same way</em>,
     * or {@code null} if it passes, is invalid, or fails differently.
     */
    @FunctionalInterface
    public interface Target {
        ChoiceSequence run(ChoiceSequence candidate);

        /**
         * A target that replays {@code candidate} through {@code gen} (padding with minimal choices) and asks
         * {@code stillFails} about the value. A {@link Discard} counts as "does not fail"; any other exception from
         * the generator or the predicate propagates.
         */
        static <T> Target of(Gen<T> gen, Predicate<? super T> stillFails) {
            return candidate -> {
                Source s = Source.replay(candidate);
                try {
                    T value = gen.generate(s);
                    return stillFails.test(value) ? s.choices() : null;
                } catch (Discard d) {
                    return null;
                }
            };
        }

        /** A target over raw sequences: {@code stillFails} judges the candidate exactly as given. */
        static Target ofSequences(Predicate<? super ChoiceSequence> stillFails) {
            return candidate -> stillFails.test(candidate) ? candidate : null;
        }
    }

    /**
     * Outcome of a shrink.
     *
     * @param best       the simplest failing sequence found (the start if nothing simpler failed)
     * @param steps      number of accepted simplifications
     * @param runs       number of test runs made
     * @param exhausted  {@code true} if the run or time budget ran out before a fixpoint was reached
     */
    public record Result(ChoiceSequence best, int steps, int runs, boolean exhausted) {
    }

    private final int maxRuns;
    private final Duration timeout;

    private Shrinker(int maxRuns, Duration timeout) {
        if (maxRuns < 0) {
            throw new IllegalArgumentException("maxRuns must not be negative: " + maxRuns);
        }
        this.maxRuns = maxRuns;
        this.timeout = Objects.requireNonNull(timeout);
    }

    /** A shrinker with {@value #DEFAULT_MAX_RUNS} runs and a 10 s budget. */
    public static Shrinker defaults() {
        return new Shrinker(DEFAULT_MAX_RUNS, DEFAULT_TIMEOUT);
    }

    /** A shrinker with the given budgets. */
    public static Shrinker withBudget(int maxRuns, Duration timeout) {
        return new Shrinker(maxRuns, timeout);
    }

    /** Shrinks {@code failing}, which the caller has observed to fail, using {@code target} to re-run candidates. */
    public Result shrink(ChoiceSequence failing, Target target) {
        Run run = new Run(failing, target, maxRuns, System.nanoTime() + timeout.toNanos());
        try {
            run.loop();
        } catch (OutOfBudget e) {
            run.exhausted = true;
        }
        return new Result(run.best, run.steps, run.runs, run.exhausted);
    }

    /** Shrinks {@code failing} judging candidates exactly as given (no generator, no spans). */
    public Result shrinkRaw(ChoiceSequence failing, Predicate<? super ChoiceSequence> stillFails) {
        return shrink(failing, Target.ofSequences(stillFails));
    }

    private static final class OutOfBudget extends RuntimeException {
        OutOfBudget() {
            super(null, null, false, false);
        }
    }

    /** State of one shrink. */
    private static final class Run {
        ChoiceSequence best;
        final Target target;
        final int maxRuns;
        final long deadline;
        final Set<ChoiceSequence> seen = new HashSet<>();
        int steps;
        int runs;
        boolean exhausted;

        Run(ChoiceSequence start, Target target, int maxRuns, long deadline) {
            this.best = start;
            this.target = target;
            this.maxRuns = maxRuns;
            this.deadline = deadline;
            seen.add(start);
        }

        /** Tries a candidate; adopts it (or what the run consumed) if it still fails and is simpler. */
        boolean consider(ChoiceSequence candidate) {
            if (!candidate.simplerThan(best) || !seen.add(candidate.withoutSpans())) {
                return false;
            }
            if (runs >= maxRuns || System.nanoTime() - deadline > 0) {
                throw new OutOfBudget();
            }
            runs++;
            ChoiceSequence result = target.run(candidate);
            if (result != null && result.simplerThan(best)) {
                best = result;
                steps++;
                return true;
            }
            return false;
        }

        void loop() {
            while (true) {
                ChoiceSequence before = best;
                deleteSiblingRuns();
                deleteSpans();
                deleteBlocks();
                zeroSpans();
                minimizeChoices();
                if (best.simplerThan(before)) {
                    continue; // cheap passes made progress: repeat them before the expensive ones
                }
                sortSiblings();
                roundDown();
                lowerAndDelete();
                redistribute();
                if (!best.simplerThan(before)) {
                    return;
                }
            }
        }

        /** Spans of the current best, biggest first (ties: earlier first). */
        private List<ChoiceSequence.Span> spansBySize() {
            List<ChoiceSequence.Span> spans = new ArrayList<>(best.spans());
            spans.sort(Comparator.comparingInt(ChoiceSequence.Span::length).reversed()
                    .thenComparingInt(ChoiceSequence.Span::start));
            return spans;
        }

        /**
         * Groups of sibling spans: same label and depth, non-overlapping, in order (e.g. the elements of one list,
         * or of all lists drawn from the same element generator at the same depth). Only groups of two or more.
         */
        private List<List<ChoiceSequence.Span>> siblingGroups() {
            java.util.Map<Long, List<ChoiceSequence.Span>> groups = new java.util.LinkedHashMap<>();
            for (ChoiceSequence.Span sp : best.spans()) {
                List<ChoiceSequence.Span> g = groups.computeIfAbsent(((long) sp.label() << 32) | sp.depth(),
                        k -> new ArrayList<>());
                if (g.isEmpty() || g.get(g.size() - 1).end() <= sp.start()) {
                    g.add(sp);
                }
            }
            List<List<ChoiceSequence.Span>> out = new ArrayList<>();
            for (List<ChoiceSequence.Span> g : groups.values()) {
                if (g.size() >= 2) {
                    out.add(g);
                }
            }
            return out;
        }

        /**
         * Deletes runs of consecutive sibling spans in one edit, halving the run length down to 2 (single spans
         * are left to {@link #deleteSpans()}). Makes long lists collapse in a logarithmic number of runs.
         */
        void deleteSiblingRuns() {
            int longest = 0;
            for (List<ChoiceSequence.Span> g : siblingGroups()) {
                longest = Math.max(longest, g.size());
            }
            for (int size = Integer.highestOneBit(Math.max(longest, 1)); size >= 2; size /= 2) {
                boolean progress = true;
                while (progress) {
                    progress = false;
                    search:
                    for (List<ChoiceSequence.Span> g : siblingGroups()) {
                        for (int last = g.size() - 1; last - size + 1 >= 0; last -= size) {
                            int from = g.get(last - size + 1).start();
                            int to = g.get(last).end();
                            if (to <= best.length() && consider(best.delete(from, to))) {
                                progress = true;
                                break search; // spans changed: regroup
                            }
                        }
                    }
                }
            }
        }

        void deleteSpans() {
            boolean progress = true;
            while (progress) {
                progress = false;
                for (ChoiceSequence.Span sp : spansBySize()) {
                    if (sp.end() <= best.length() && consider(best.delete(sp.start(), sp.end()))) {
                        progress = true;
                        break; // spans changed: recompute
                    }
                }
            }
        }

        void deleteBlocks() {
            for (int k : new int[] {8, 4, 2, 1}) {
                int i = best.length() - k;
                while (i >= 0) {
                    if (i + k <= best.length() && consider(best.delete(i, i + k))) {
                        i = Math.min(i, best.length() - k);
                    } else {
                        i--;
                    }
                }
            }
        }

        void zeroSpans() {
            for (ChoiceSequence.Span sp : spansBySize()) {
                if (sp.end() > best.length()) {
                    continue;
                }
                boolean allZero = true;
                for (int i = sp.start(); i < sp.end(); i++) {
                    allZero &= best.get(i) == 0;
                }
                if (!allZero) {
                    consider(best.zero(sp.start(), sp.end()));
                }
            }
        }

        void minimizeChoices() {
            for (int i = 0; i < best.length(); i++) {
                minimizeAt(i);
            }
        }

        /** Binary search for the smallest value at {@code i} that still fails (assuming rough monotonicity). */
        private void minimizeAt(int i) {
            long v = best.get(i);
            if (v == 0) {
                return;
            }
            if (consider(best.with(i, 0))) {
                return;
            }
            if (i >= best.length()) {
                return;
            }
            long lo = 0; // fails to fail
            long hi = best.get(i); // fails
            while (Long.compareUnsigned(hi - lo, 1) > 0) {
                long mid = lo + ((hi - lo) >>> 1);
                ChoiceSequence before = best;
                if (consider(best.with(i, mid))) {
                    if (i >= best.length() || best.length() != before.length()) {
                        return; // structure changed under us
                    }
                    hi = best.get(i);
                    if (Long.compareUnsigned(hi, lo) <= 0) {
                        return;
                    }
                } else {
                    lo = mid;
                }
            }
        }

        /** Swaps equal-shaped sibling spans (same label, depth, length) when the later one is simpler. */
        void sortSiblings() {
            boolean progress = true;
            while (progress) {
                progress = false;
                List<ChoiceSequence.Span> spans = best.spans();
                outer:
                for (int a = 0; a < spans.size(); a++) {
                    ChoiceSequence.Span x = spans.get(a);
                    for (int b = a + 1; b < spans.size(); b++) {
                        ChoiceSequence.Span y = spans.get(b);
                        if (y.start() < x.end() || y.label() != x.label() || y.depth() != x.depth()
                                || y.length() != x.length() || y.end() > best.length()) {
                            continue;
                        }
                        long[] xs = best.slice(x.start(), x.end());
                        long[] ys = best.slice(y.start(), y.end());
                        if (Arrays.compareUnsigned(ys, xs) < 0
                                && consider(best.overwrite(x.start(), ys).overwrite(y.start(), xs))) {
                            progress = true;
                            break outer;
                        }
                    }
                }
            }
            // Plain adjacent swaps for sequences without spans.
            for (int i = 0; i + 1 < best.length(); i++) {
                long a = best.get(i);
                long b = best.get(i + 1);
                if (Long.compareUnsigned(b, a) < 0) {
                    consider(best.with(i, b).with(i + 1, a));
                }
            }
        }

        /**
         * Rounds choices down to multiples of large powers of two (largest first). Reaches aligned boundaries that
         * binary search misses when the predicate is not monotone (e.g. "fails for 4 KiB-aligned values >= X").
         */
        void roundDown() {
            for (int i = 0; i < best.length(); i++) {
                long v = best.get(i);
                if (v == 0 || v == 1) {
                    continue;
                }
                for (int k = 63 - Long.numberOfLeadingZeros(v); k >= 1; k--) {
                    long r = v & -(1L << k);
                    if (r != v && consider(best.with(i, r))) {
                        break;
                    }
                }
            }
        }

        /**
         * Lowers a choice by one and deletes a later span (or a short block) in the same edit. This is what shrinks
         * length-prefixed structures, e.g. {@code ints(1, 20).flatMap(n -> listOf(g, n, n))}: lowering {@code n}
         * alone reinterprets the elements, deleting an element alone leaves {@code n} too big.
         */
        void lowerAndDelete() {
            for (int i = 0; i < best.length(); i++) {
                long v = best.get(i);
                if (v == 0) {
                    continue;
                }
                ChoiceSequence current = best;
                ChoiceSequence lowered = current.with(i, v - 1);
                List<int[]> cuts = new ArrayList<>();
                for (ChoiceSequence.Span sp : current.spans()) {
                    if (sp.start() > i && cuts.size() < 16) {
                        cuts.add(new int[] {sp.start(), sp.end()});
                    }
                }
                for (int j = i + 1; j < current.length() && j <= i + 8; j++) {
                    cuts.add(new int[] {j, j + 1});
                    if (j + 2 <= current.length()) {
                        cuts.add(new int[] {j, j + 2});
                    }
                }
                for (int[] cut : cuts) {
                    if (consider(lowered.delete(cut[0], cut[1]))) {
                        break;
                    }
                }
            }
        }

        /**
         * Moves amounts from an earlier choice to a later one, keeping their sum (e.g. turns [500, 500] into
         * [0, 1000], or [300, 0] into [100, 200] when only the sum and the first matter). Nearby pairs (gap up to 4)
         * get a binary search for the largest movable amount; farther pairs (up to 16) only try moving everything.
         */
        void redistribute() {
            for (int gap = 1; gap <= 16; gap++) {
                for (int i = 0; i + gap < best.length(); i++) {
                    int j = i + gap;
                    long a = best.get(i);
                    long b = best.get(j);
                    if (a == 0 || (b == 0 && gap > 4)) {
                        continue;
                    }
                    long sum = a + b;
                    if (Long.compareUnsigned(sum, a) < 0) {
                        continue; // unsigned overflow
                    }
                    if (consider(best.with(i, 0).with(j, sum)) || gap > 4) {
                        continue;
                    }
                    // Smallest x in (0, a] such that (x, sum - x) still fails; (a, b) fails, (0, sum) does not.
                    long lo = 0;
                    long hi = a;
                    while (Long.compareUnsigned(hi - lo, 1) > 0) {
                        long mid = lo + ((hi - lo) >>> 1);
                        ChoiceSequence before = best;
                        if (consider(best.with(i, mid).with(j, sum - mid))) {
                            if (best.length() != before.length() || best.get(i) != mid || best.get(j) != sum - mid) {
                                break; // structure changed under us
                            }
                            hi = mid;
                        } else {
                            lo = mid;
                        }
                    }
                }
            }
        }
    }
}
