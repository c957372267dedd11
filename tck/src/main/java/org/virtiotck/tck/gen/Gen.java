package org.virtiotck.tck.gen;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A generator of values of type {@code T}: a function from a {@link Source} of recorded choices to a value.
 *
 * <p>Generators never shrink values themselves. All randomness goes through the source, which records it as a
 * {@link ChoiceSequence}; the {@link Shrinker} simplifies the choices and re-runs the generator. So any composition
 * of generators — including {@link #flatMap dependent} ones and hand-written lambdas — shrinks for free, provided
 * it follows two rules:
 * <ol>
 *   <li>draw all randomness from the source (no {@code Math.random}, no ambient state), and</li>
 *   <li>make choice 0 the simplest option (the factories here all do: numbers shrink towards 0 or the bound
 *       closest to it, booleans towards {@code false}, lists towards shorter, {@link #oneOf} towards the first
 *       option, {@link #shuffle} towards the identity permutation).</li>
 * </ol>
 *
 * <p>Records and tuples are just lambdas: {@code s -> new Req(s.draw(addrs), s.draw(lens))}; using
 * {@link Source#draw(Gen)} (rather than {@code generate}) marks each field as a span the shrinker can work on.
 *
 * @param <T> the generated type
 */
@FunctionalInterface
public interface Gen<T> {

    /** Default upper bound on list sizes for {@link #listOf(Gen)}. */
    int DEFAULT_MAX_SIZE = 64;

    /** Default number of attempts of {@link #filter(Predicate)} before the test case is {@linkplain Discard discarded}. */
    int DEFAULT_FILTER_TRIES = 100;

    /** Produces one value, drawing every random decision from {@code source}. */
    T generate(Source source);

    // ------------------------------------------------------------------------------------------ instance helpers

    /** Generates a value from a fresh random source seeded with {@code seed}. */
    default T sample(long seed) {
        return generate(Source.random(seed));
    }

    /** Regenerates the value that {@code choices} encode (padding with minimal choices if they run out). */
    default T replay(ChoiceSequence choices) {
        return generate(Source.replay(choices));
    }

    /** Applies {@code f} to generated values. Shrinks as the underlying generator does. */
    default <R> Gen<R> map(Function<? super T, ? extends R> f) {
        Objects.requireNonNull(f);
        return s -> f.apply(generate(s));
    }

    /**
     * A dependent generator: draws a value, then draws from the generator {@code f} builds from it. Shrinking
     * simplifies both stages together (it works on the choices, not the values).
     */
    default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
        Objects.requireNonNull(f);
        Gen<T> self = this;
        return s -> {
            T t = s.draw(self);
            Gen<? extends R> next = f.apply(t);
            s.startSpan(s.label(f));
            try {
                return next.generate(s);
            } finally {
                s.endSpan();
            }
        };
    }

    /** Keeps values satisfying {@code p}; after {@value #DEFAULT_FILTER_TRIES} misses the test case is discarded. */
    default Gen<T> filter(Predicate<? super T> p) {
        return filter(p, DEFAULT_FILTER_TRIES);
    }

    /** Keeps values satisfying {@code p}; after {@code maxTries} misses the test case is {@linkplain Discard discarded}. */
    default Gen<T> filter(Predicate<? super T> p, int maxTries) {
        Objects.requireNonNull(p);
        if (maxTries <= 0) {
            throw new IllegalArgumentException("maxTries must be positive: " + maxTries);
        }
        Gen<T> self = this;
        return s -> {
            for (int i = 0; i < maxTries; i++) {
                T t = s.draw(self);
                if (p.test(t)) {
                    return t;
                }
            }
            throw new Discard("filter rejected " + maxTries + " values in a row");
        };
    }

    /** Lists of this generator's values; see {@link #listOf(Gen, int, int)}. */
    default Gen<List<T>> list(int minSize, int maxSize) {
        return listOf(this, minSize, maxSize);
    }

    /** Empty or a value; shrinks towards empty. */
    default Gen<Optional<T>> optional() {
        Gen<T> self = this;
        return s -> s.bool(0.8) ? Optional.ofNullable(s.draw(self)) : Optional.empty();
    }

    // -------------------------------------------------------------------------------------------- primitives

    /** Always {@code value}; draws no choices. */
    static <T> Gen<T> constant(T value) {
        return s -> value;
    }

    /**
     * Longs in {@code [min, max]}, shrinking towards the value closest to 0. Biased towards edge values: the bounds
     * and their neighbours, 0, ±1, and ±2^k, ±2^k±1.
     */
    static Gen<Long> longs(long min, long max) {
        if (min > max) {
            throw new IllegalArgumentException("min > max: " + min + " > " + max);
        }
        long[] edges = Edges.of(min, max);
        return s -> s.longBetween(min, max, edges);
    }

    /** Any long. */
    static Gen<Long> longs() {
        return longs(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** Ints in {@code [min, max]}, shrinking towards the value closest to 0, biased towards edge values. */
    static Gen<Integer> ints(int min, int max) {
        if (min > max) {
            throw new IllegalArgumentException("min > max: " + min + " > " + max);
        }
        long[] edges = Edges.of(min, max);
        return s -> (int) s.longBetween(min, max, edges);
    }

    /** Any int. */
    static Gen<Integer> ints() {
        return ints(Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** Fair booleans, shrinking towards {@code false}. */
    static Gen<Boolean> booleans() {
        return Source::bool;
    }

    /** Byte arrays of exactly {@code length} bytes; each byte shrinks towards 0 and is biased to 0x00/0x7F/0x80/0xFF. */
    static Gen<byte[]> bytes(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length " + length);
        }
        return s -> {
            byte[] b = new byte[length];
            for (int i = 0; i < length; i++) {
                b[i] = (byte) s.choice(255, Gen::sampleByte);
            }
            return b;
        };
    }

    /** Byte arrays with a length in {@code [minLength, maxLength]}, shrinking towards shorter and smaller. */
    static Gen<byte[]> bytes(int minLength, int maxLength) {
        Gen<Long> oneByte = s -> s.choice(255, Gen::sampleByte);
        return listOf(oneByte, minLength, maxLength).map(l -> {
            byte[] b = new byte[l.size()];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (long) l.get(i);
            }
            return b;
        });
    }

    private static long sampleByte(java.util.SplittableRandom r) {
        if (r.nextInt(8) == 0) {
            return switch (r.nextInt(4)) {
                case 0 -> 0x00;
                case 1 -> 0x7F;
                case 2 -> 0x80;
                default -> 0xFF;
            };
        }
        return r.nextInt(256);
    }

    // --------------------------------------------------------------------------------------------- choices

    /** One of {@code values}, uniformly; shrinks towards the first. */
    @SafeVarargs
    static <T> Gen<T> oneOf(T... values) {
        List<T> list = new ArrayList<>(values.length);
        for (T v : values) {
            list.add(v);
        }
        return oneOf(list);
    }

    /** One of {@code values}, uniformly; shrinks towards the first. */
    static <T> Gen<T> oneOf(List<? extends T> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("oneOf needs at least one value");
        }
        List<? extends T> copy = Collections.unmodifiableList(new ArrayList<>(values));
        long last = copy.size() - 1;
        return s -> copy.get((int) s.choice(last, r -> Source.uniformUnsigned(r, last)));
    }

    /** One of the constants of {@code type}; shrinks towards the first declared. */
    static <E extends Enum<E>> Gen<E> enums(Class<E> type) {
        return oneOf(type.getEnumConstants());
    }

    /** Draws from one of {@code gens}, chosen uniformly; shrinks towards the first. */
    @SafeVarargs
    static <T> Gen<T> oneOfGens(Gen<? extends T>... gens) {
        List<Weighted<? extends T>> w = new ArrayList<>();
        for (Gen<? extends T> g : gens) {
            w.add(weighted(1, g));
        }
        return frequency(w);
    }

    /** A generator with a relative weight, for {@link #frequency}. */
    record Weighted<T>(int weight, Gen<T> gen) {
        public Weighted {
            if (weight < 0) {
                throw new IllegalArgumentException("negative weight " + weight);
            }
            Objects.requireNonNull(gen);
        }
    }

    /** A generator with a relative weight, for {@link #frequency}. */
    static <T> Weighted<T> weighted(int weight, Gen<T> gen) {
        return new Weighted<>(weight, gen);
    }

    /** Draws from one of the options, chosen with probability proportional to its weight; shrinks towards the first. */
    @SafeVarargs
    static <T> Gen<T> frequency(Weighted<? extends T>... options) {
        List<Weighted<? extends T>> list = new ArrayList<>(options.length);
        for (Weighted<? extends T> o : options) {
            list.add(o);
        }
        return frequency(list);
    }

    /** Draws from one of the options, chosen with probability proportional to its weight; shrinks towards the first. */
    static <T> Gen<T> frequency(List<? extends Weighted<? extends T>> options) {
        if (options.isEmpty()) {
            throw new IllegalArgumentException("frequency needs at least one option");
        }
        List<Weighted<? extends T>> copy = List.copyOf(options);
        long total = 0;
        for (Weighted<? extends T> w : copy) {
            total += w.weight();
        }
        if (total <= 0) {
            throw new IllegalArgumentException("frequency needs a positive total weight");
        }
        long sum = total;
        long last = copy.size() - 1;
        return s -> {
            int i = (int) s.choice(last, r -> {
                long x = r.nextLong(sum);
                for (int k = 0; k < copy.size(); k++) {
                    x -= copy.get(k).weight();
                    if (x < 0) {
                        return k;
                    }
                }
                return last;
            });
            return s.draw(copy.get(i).gen());
        };
    }

    // ------------------------------------------------------------------------------------------- collections

    /** Lists of size {@code 0..}{@value #DEFAULT_MAX_SIZE}. */
    static <T> Gen<List<T>> listOf(Gen<T> element) {
        return listOf(element, 0, DEFAULT_MAX_SIZE);
    }

    /**
     * Lists with a size in {@code [minSize, maxSize]}. Each optional element is preceded by a "one more" choice, so
     * the shrinker can drop any element by deleting its span, or truncate by zeroing a "one more" choice. Random
     * sizes are mostly small, sometimes exactly {@code minSize} or {@code maxSize}.
     */
    static <T> Gen<List<T>> listOf(Gen<T> element, int minSize, int maxSize) {
        Objects.requireNonNull(element);
        if (minSize < 0 || maxSize < minSize) {
            throw new IllegalArgumentException("bad size range [" + minSize + ", " + maxSize + "]");
        }
        return s -> {
            int label = s.label(element);
            long target = s.plan(r -> planSize(r, minSize, maxSize), minSize);
            List<T> out = new ArrayList<>();
            for (int i = 0; i < minSize; i++) {
                s.startSpan(label);
                try {
                    out.add(element.generate(s));
                } finally {
                    s.endSpan();
                }
            }
            while (out.size() < maxSize) {
                s.startSpan(label);
                try {
                    int size = out.size();
                    if (s.choice(1, r -> size < target ? 1 : 0) == 0) {
                        break;
                    }
                    out.add(element.generate(s));
                } finally {
                    s.endSpan();
                }
            }
            return out;
        };
    }

    private static long planSize(java.util.SplittableRandom r, int min, int max) {
        double p = r.nextDouble();
        if (p < 0.05) {
            return min;
        }
        long span = (long) max - min;
        if (p < 0.10) {
            return span <= 1024 ? max : min + 1024;
        }
        double mean = Math.min(span, 10);
        double q = mean / (mean + 1);
        long n = 0;
        while (n < span && r.nextDouble() < q) {
            n++;
        }
        return min + n;
    }

    /**
     * Subsets of the set bits of {@code mask} (e.g. feature bits), shrinking towards fewer bits (0). Random subsets
     * are sometimes empty or the full mask.
     */
    static Gen<Long> subsetOf(long mask) {
        return s -> {
            long mode = s.plan(r -> r.nextInt(10), 2); // 0: none, 1: all, else fair coin per bit
            long result = 0;
            for (int bit = 0; bit < 64; bit++) {
                long b = 1L << bit;
                if ((mask & b) == 0) {
                    continue;
                }
                long take = s.choice(1, r -> mode == 0 ? 0 : mode == 1 ? 1 : r.nextInt(2));
                if (take == 1) {
                    result |= b;
                }
            }
            return result;
        };
    }

    /** Random permutations of {@code values}; shrinks towards the original order. */
    static <T> Gen<List<T>> shuffle(List<? extends T> values) {
        List<? extends T> copy = Collections.unmodifiableList(new ArrayList<>(values));
        return s -> {
            List<T> out = new ArrayList<>(copy);
            for (int i = 0; i < out.size() - 1; i++) {
                long bound = out.size() - 1 - i;
                int j = i + (int) s.choice(bound, r -> Source.uniformUnsigned(r, bound));
                Collections.swap(out, i, j);
            }
            return out;
        };
    }

    /** Random permutations of {@code 0..n-1}; shrinks towards the identity. */
    static Gen<int[]> permutation(int n) {
        List<Integer> identity = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            identity.add(i);
        }
        return shuffle(identity).map(l -> l.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Order-preserving sub-lists of {@code values} (each element kept or dropped); shrinks towards empty. */
    static <T> Gen<List<T>> subsequence(List<? extends T> values) {
        List<? extends T> copy = Collections.unmodifiableList(new ArrayList<>(values));
        return s -> {
            List<T> out = new ArrayList<>();
            for (T t : copy) {
                if (s.bool()) {
                    out.add(t);
                }
            }
            return out;
        };
    }

    // ---------------------------------------------------------------------------------------- tuples & misc

    /** A pair of values. */
    record Pair<A, B>(A first, B second) {
    }

    /** Pairs of independent values. */
    static <A, B> Gen<Pair<A, B>> pairs(Gen<A> a, Gen<B> b) {
        return zip(a, b, Pair::new);
    }

    /** Combines two independent values. */
    static <A, B, R> Gen<R> zip(Gen<A> a, Gen<B> b, BiFunction<? super A, ? super B, ? extends R> f) {
        return s -> f.apply(s.draw(a), s.draw(b));
    }

    /** Three-argument function, for {@link #zip(Gen, Gen, Gen, Fn3)}. */
    @FunctionalInterface
    interface Fn3<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    /** Four-argument function, for {@link #zip(Gen, Gen, Gen, Gen, Fn4)}. */
    @FunctionalInterface
    interface Fn4<A, B, C, D, R> {
        R apply(A a, B b, C c, D d);
    }

    /** Combines three independent values. */
    static <A, B, C, R> Gen<R> zip(Gen<A> a, Gen<B> b, Gen<C> c, Fn3<? super A, ? super B, ? super C, ? extends R> f) {
        return s -> f.apply(s.draw(a), s.draw(b), s.draw(c));
    }

    /** Combines four independent values. */
    static <A, B, C, D, R> Gen<R> zip(Gen<A> a, Gen<B> b, Gen<C> c, Gen<D> d,
                                      Fn4<? super A, ? super B, ? super C, ? super D, ? extends R> f) {
        return s -> f.apply(s.draw(a), s.draw(b), s.draw(c), s.draw(d));
    }

    /** Defers construction, for recursive generators. */
    static <T> Gen<T> lazy(Supplier<? extends Gen<T>> supplier) {
        return s -> supplier.get().generate(s);
    }
}
