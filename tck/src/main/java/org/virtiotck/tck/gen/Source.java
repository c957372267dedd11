package org.virtiotck.tck.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;

/**
 * The source of every random decision a {@link Gen} makes, and the recorder of those decisions.
 *
 * <p>Every decision is a <em>choice</em>: an unsigned number in {@code [0, max]} where 0 is the simplest option.
 * A source runs in one of two regimes, per choice:
 * <ul>
 *   <li><b>random</b>: the choice is sampled from a {@link SplittableRandom} seeded from a long (with a bias towards
 *       edge values), and recorded;</li>
 *   <li><b>replay</b>: the choice is read from a given {@link ChoiceSequence} prefix (clamped to {@code max}), and
 *       recorded. When the prefix is exhausted, a pure replay source pads with 0 (the minimal choice) while a
 *       {@linkplain #replay(ChoiceSequence, long) prefix-then-random} source continues randomly.</li>
 * </ul>
 * The recorded {@link #choices()} always reproduce the generated value exactly when replayed.
 *
 * <p>Sources also record {@linkplain ChoiceSequence.Span spans} (see {@link #draw(Gen)}) so the shrinker can delete
 * whole sub-structures. A source is single-threaded and single-use.
 */
public final class Source {
    /** Default limit on the number of choices one generation may draw before it is {@linkplain Discard.Overrun discarded}. */
    public static final int DEFAULT_MAX_CHOICES = 1 << 16;

    /** Probability that a random-mode numeric draw picks an edge value (bounds, 0, powers of two, ...). */
    static final double EDGE_PROBABILITY = 0.15;
    /** Probability that a random-mode numeric draw picks a log-uniformly small magnitude. */
    static final double SMALL_PROBABILITY = 0.15;

    private final SplittableRandom random;
    private final long[] prefix;
    private final int maxChoices;
    private int position;
    private long[] recorded;
    private int size;
    private final List<ChoiceSequence.Span> spans = new ArrayList<>();
    private int[] openStarts = new int[8];
    private int[] openLabels = new int[8];
    private int depth;
    /** Span labels by key, made at the first {@link #label} (a source used for plain choices only never labels). */
    private java.util.IdentityHashMap<Object, Integer> labels;

    private Source(SplittableRandom random, long[] prefix, int maxChoices) {
        if (maxChoices <= 0) {
            throw new IllegalArgumentException("maxChoices must be positive: " + maxChoices);
        }
        this.random = random;
        this.prefix = prefix;
        this.maxChoices = maxChoices;
        // room for the replayed prefix and some more: a fuzzer makes one source per input, so regrowing shows
        this.recorded = new long[Math.min(maxChoices, Math.max(64, prefix.length + 32))];
    }

    /** A random source: every choice is sampled from a {@link SplittableRandom} seeded with {@code seed}. */
    public static Source random(long seed) {
        return new Source(new SplittableRandom(seed), new long[0], DEFAULT_MAX_CHOICES);
    }

    /** Replays {@code choices}; when they run out, every further choice is 0 (the minimal one). */
    public static Source replay(ChoiceSequence choices) {
        return new Source(null, choices.toArray(), DEFAULT_MAX_CHOICES);
    }

    /**
     * Replays {@code prefix}, then continues randomly from {@code seed}. Handy for fuzzing: keep the start of an
     * interesting input and explore different continuations.
     */
    public static Source replay(ChoiceSequence prefix, long seed) {
        return new Source(new SplittableRandom(seed), prefix.toArray(), DEFAULT_MAX_CHOICES);
    }

    /** A copy of this (unused) source's configuration with a different choice limit. */
    public Source withMaxChoices(int maxChoices) {
        if (size != 0) {
            throw new IllegalStateException("source already in use");
        }
        return new Source(random, prefix, maxChoices);
    }

    // ------------------------------------------------------------------------------------------------ choices

    /**
     * The fundamental draw: an unsigned choice in {@code [0, max]} (max is unsigned; {@code -1L} means the full
     * 64-bit range). In random mode, {@code sampler} proposes the value (it is clamped into range); in replay mode
     * the recorded value is used and {@code sampler} is not called.
     */
    public long choice(long max, ToLongFunction<SplittableRandom> sampler) {
        long v;
        if (position < prefix.length) {
            v = prefix[position++];
        } else if (random != null) {
            v = sampler.applyAsLong(random);
        } else {
            v = 0;
        }
        if (Long.compareUnsigned(v, max) > 0) {
            v = max;
        }
        record(v);
        return v;
    }

    /** An unsigned choice in {@code [0, max]}, uniformly random with a bias to 0, 1, max and powers of two. */
    public long choice(long max) {
        return choice(max, r -> biasedUnsigned(r, max));
    }

    /** A choice that is {@code forced} in random mode (still recorded, still replayable and shrinkable). */
    public long forcedChoice(long max, long forced) {
        return choice(max, r -> forced);
    }

    /** A fair boolean; {@code false} is simpler. */
    public boolean bool() {
        return choice(1, r -> r.nextBoolean() ? 1 : 0) == 1;
    }

    /** A boolean that is {@code true} with probability {@code p} in random mode; {@code false} is simpler. */
    public boolean bool(double p) {
        return choice(1, r -> r.nextDouble() < p ? 1 : 0) == 1;
    }

    /**
     * A long in {@code [min, max]} that shrinks towards the value closest to 0. In random mode it picks an edge
     * value (bounds, 0, ±1, powers of two and their neighbours) some of the time, a small magnitude some of the
     * time, and a uniform value otherwise.
     */
    public long longBetween(long min, long max) {
        return longBetween(min, max, null);
    }

    /** As {@link #longBetween(long, long)} with precomputed edge candidates (all within range). */
    long longBetween(long min, long max, long[] edges) {
        if (min > max) {
            throw new IllegalArgumentException("min > max: " + min + " > " + max);
        }
        if (min == max) {
            return min;
        }
        // Decide the value first in random mode (not recorded), then record the choices that encode it.
        boolean planned = random != null && position >= prefix.length;
        long want = 0;
        if (planned) {
            double p = random.nextDouble();
            if (p < EDGE_PROBABILITY) {
                int k = random.nextInt(4);
                if (k == 0) {
                    want = min;
                } else if (k == 1) {
                    want = max;
                } else {
                    long[] e = edges != null ? edges : Edges.of(min, max);
                    want = e[random.nextInt(e.length)];
                }
            } else if (p < EDGE_PROBABILITY + SMALL_PROBABILITY) {
                want = smallNear(random, min, max);
            } else {
                want = min + uniformUnsigned(random, max - min);
            }
        }
        if (min >= 0) {
            long d = planned ? forcedChoice(max - min, want - min) : choice(max - min);
            return min + d;
        }
        if (max <= 0) {
            long d = planned ? forcedChoice(max - min, max - want) : choice(max - min);
            return max - d;
        }
        // Mixed signs: magnitude first, then sign (0 = non-negative). Shrinks towards 0 and keeps the magnitude
        // numerically meaningful, so the shrinker can move amounts between choices.
        long negLimit = -(min + 1); // magnitudes of negative values are 1..-min, encoded as 0..-(min+1)
        long d;
        if (planned) {
            long m = want >= 0 ? want : ~want; // ~want == -want-1
            d = forcedChoice(Math.max(max, negLimit), m);
            boolean negative = want < 0;
            if (Long.compareUnsigned(d, negLimit) > 0) {
                negative = false;
            }
            if (Long.compareUnsigned(d, max) > 0) {
                negative = true;
            }
            long sign = forcedChoice(1, negative ? 1 : 0);
            return decodeSigned(d, sign, max, negLimit);
        }
        d = choice(Math.max(max, negLimit));
        long sign = choice(1);
        return decodeSigned(d, sign, max, negLimit);
    }

    private static long decodeSigned(long d, long sign, long max, long negLimit) {
        if (d > max) {
            return ~d; // only the negative side is that long
        }
        if (d > negLimit) {
            return d; // only the positive side is that long
        }
        return sign == 0 ? d : ~d;
    }

    /** An int in {@code [min, max]}, shrinking towards the value closest to 0. */
    public int intBetween(int min, int max) {
        return (int) longBetween(min, max);
    }

    // ---------------------------------------------------------------------------------------------------- spans

    /**
     * Draws a value from {@code gen} inside a span, so that the shrinker knows which choices belong to it. Prefer
     * this over {@code gen.generate(this)} when composing generators by hand.
     */
    public <T> T draw(Gen<T> gen) {
        startSpan(label(gen));
        try {
            return gen.generate(this);
        } finally {
            endSpan();
        }
    }

    /**
     * A small span label for {@code key} (usually a generator), stable within this source: the first key labelled
     * gets 1, the next 2, and so on. Using identity rather than hash codes keeps shrinking deterministic.
     */
    public int label(Object key) {
        if (labels == null) {
            labels = new java.util.IdentityHashMap<>();
        }
        Integer l = labels.get(key);
        if (l == null) {
            l = labels.size() + 1;
            labels.put(key, l);
        }
        return l;
    }

    /** Opens a span; every {@code startSpan} must be matched by an {@link #endSpan()}. */
    public void startSpan(int label) {
        if (depth == openStarts.length) {
            openStarts = java.util.Arrays.copyOf(openStarts, depth * 2);
            openLabels = java.util.Arrays.copyOf(openLabels, depth * 2);
        }
        openStarts[depth] = size;
        openLabels[depth] = label;
        depth++;
    }

    /** Closes the innermost open span. */
    public void endSpan() {
        if (depth == 0) {
            throw new IllegalStateException("endSpan without startSpan");
        }
        depth--;
        int start = openStarts[depth];
        if (size > start) {
            spans.add(new ChoiceSequence.Span(start, size, depth, openLabels[depth]));
        }
    }

    // ---------------------------------------------------------------------------------------------- inspection

    /** The choices recorded so far (with spans). */
    public ChoiceSequence choices() {
        return ChoiceSequence.withSpans(java.util.Arrays.copyOf(recorded, size), spans);
    }

    /** Number of choices recorded so far. */
    public int size() {
        return size;
    }

    /** {@code true} while choices come from a replayed prefix. */
    public boolean isReplaying() {
        return position < prefix.length;
    }

    /**
     * Runs {@code plan} against the random generator, if this source has one and is past its replay prefix;
     * otherwise returns {@code fallback}. Generators use this for <em>unrecorded</em> planning decisions (e.g. a
     * list's target size) that only shape the random distribution of later recorded choices.
     */
    public long plan(ToLongFunction<SplittableRandom> plan, long fallback) {
        return random != null && position >= prefix.length ? plan.applyAsLong(random) : fallback;
    }

    private void record(long v) {
        if (size >= maxChoices) {
            throw new Discard.Overrun("generator drew more than " + maxChoices + " choices");
        }
        if (size == recorded.length) {
            recorded = java.util.Arrays.copyOf(recorded, size * 2);
        }
        recorded[size++] = v;
    }

    // ------------------------------------------------------------------------------------------------ sampling

    /** Uniform unsigned in {@code [0, max]} (unsigned max). */
    static long uniformUnsigned(SplittableRandom r, long max) {
        if (max == -1L) {
            return r.nextLong();
        }
        if (max >= 0) {
            return max == Long.MAX_VALUE ? r.nextLong() & Long.MAX_VALUE : r.nextLong(max + 1);
        }
        while (true) {
            long v = r.nextLong();
            if (Long.compareUnsigned(v, max) <= 0) {
                return v;
            }
        }
    }

    /** Unsigned in {@code [0, max]} biased towards 0, 1, max, powers of two and small numbers. */
    static long biasedUnsigned(SplittableRandom r, long max) {
        double p = r.nextDouble();
        if (p < EDGE_PROBABILITY) {
            return switch (r.nextInt(5)) {
                case 0 -> 0;
                case 1 -> max;
                case 2 -> Long.compareUnsigned(max, 1) >= 0 ? 1 : 0;
                case 3 -> max - 1 == -1L ? 0 : max - 1;
                default -> {
                    int bits = 64 - Long.numberOfLeadingZeros(max);
                    yield bits == 0 ? 0 : 1L << r.nextInt(bits);
                }
            };
        }
        if (p < EDGE_PROBABILITY + SMALL_PROBABILITY) {
            int bits = 64 - Long.numberOfLeadingZeros(max);
            int b = bits == 0 ? 0 : r.nextInt(Math.min(bits, 16) + 1);
            long v = b == 0 ? 0 : r.nextLong() >>> (64 - b);
            return Long.compareUnsigned(v, max) > 0 ? max : v;
        }
        return uniformUnsigned(r, max);
    }

    /** A value of small magnitude (log-uniform up to 2^16) near zero, or near the bound closest to zero. */
    private static long smallNear(SplittableRandom r, long min, long max) {
        int b = r.nextInt(17);
        long mag = b == 0 ? 0 : r.nextLong() >>> (64 - b);
        if (min >= 0) {
            return Long.compareUnsigned(mag, max - min) > 0 ? max : min + mag;
        }
        if (max <= 0) {
            return Long.compareUnsigned(mag, max - min) > 0 ? min : max - mag;
        }
        long v = r.nextBoolean() ? mag : -mag;
        return Math.max(min, Math.min(max, v));
    }
}
