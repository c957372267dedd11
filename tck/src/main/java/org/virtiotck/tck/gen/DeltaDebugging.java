package org.virtiotck.tck.gen;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Zeller's delta debugging ({@code ddmin}) over a list: finds a sub-list (order preserved) that still fails and is
 * 1-minimal — removing any single element makes it pass — within a budget of test runs.
 *
 * <p>Complements {@link Shrinker}: use this when the input is a plain list of steps (e.g. a recorded program of
 * register accesses) rather than something a {@link Gen} produced.
 */
public final class DeltaDebugging {
    /** Default maximum number of calls of the test predicate. */
    public static final int DEFAULT_MAX_TESTS = 10_000;

    private DeltaDebugging() {
    }

    /**
     * Outcome of a minimization.
     *
     * @param minimal   the smallest failing sub-list found
     * @param tests     predicate calls made (cached repeats excluded)
     * @param exhausted {@code true} if the budget ran out (the result may not be 1-minimal)
     */
    public record Result<T>(List<T> minimal, int tests, boolean exhausted) {
    }

    /** {@link #minimize(List, Predicate, int)} with {@value #DEFAULT_MAX_TESTS} tests, returning the list only. */
    public static <T> List<T> ddmin(List<T> failing, Predicate<? super List<T>> fails) {
        return minimize(failing, fails, DEFAULT_MAX_TESTS).minimal();
    }

    /**
     * Minimizes {@code failing} (which must fail) with respect to {@code fails}. The predicate sees immutable
     * sub-lists; identical sub-lists are tested at most once.
     */
    public static <T> Result<T> minimize(List<T> failing, Predicate<? super List<T>> fails, int maxTests) {
        Objects.requireNonNull(fails);
        Tester<T> tester = new Tester<>(fails, maxTests);
        List<T> current = List.copyOf(failing);
        try {
            if (!current.isEmpty() && tester.fails(List.of())) {
                return new Result<>(List.of(), tester.tests, false);
            }
            int n = 2;
            while (current.size() >= 2) {
                List<List<T>> chunks = split(current, n);
                boolean reduced = false;
                for (List<T> chunk : chunks) {
                    if (tester.fails(chunk)) {
                        current = chunk;
                        n = 2;
                        reduced = true;
                        break;
                    }
                }
                if (!reduced && n > 2) {
                    for (int i = 0; i < chunks.size(); i++) {
                        List<T> complement = complement(chunks, i);
                        if (tester.fails(complement)) {
                            current = complement;
                            n = Math.max(n - 1, 2);
                            reduced = true;
                            break;
                        }
                    }
                }
                if (!reduced) {
                    if (n >= current.size()) {
                        break;
                    }
                    n = Math.min(2 * n, current.size());
                }
            }
            return new Result<>(current, tester.tests, false);
        } catch (OutOfTests e) {
            return new Result<>(current, tester.tests, true);
        }
    }

    private static <T> List<List<T>> split(List<T> list, int n) {
        List<List<T>> out = new ArrayList<>(n);
        int size = list.size();
        int start = 0;
        for (int i = 0; i < n; i++) {
            int end = start + (size - start) / (n - i);
            out.add(List.copyOf(list.subList(start, end)));
            start = end;
        }
        out.removeIf(List::isEmpty);
        return out;
    }

    private static <T> List<T> complement(List<List<T>> chunks, int skip) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            if (i != skip) {
                out.addAll(chunks.get(i));
            }
        }
        return List.copyOf(out);
    }

    private static final class OutOfTests extends RuntimeException {
        OutOfTests() {
            super(null, null, false, false);
        }
    }

    private static final class Tester<T> {
        final Predicate<? super List<T>> fails;
        final int maxTests;
        final Map<List<T>, Boolean> cache = new HashMap<>();
        int tests;

        Tester(Predicate<? super List<T>> fails, int maxTests) {
            this.fails = fails;
            this.maxTests = maxTests;
        }

        boolean fails(List<T> candidate) {
            Boolean cached = cache.get(candidate);
            if (cached != null) {
                return cached;
            }
            if (tests >= maxTests) {
                throw new OutOfTests();
            }
            tests++;
            boolean f = fails.test(candidate);
            cache.put(candidate, f);
            return f;
        }
    }
}
