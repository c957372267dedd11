package org.virtiotck.tck.gen;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.virtiotck.tck.gen.PropertyResult.Case;

/**
 * A property-based test: "for all values of a generator, this holds".
 *
 * <pre>{@code
 * Property.forAll(Gen.listOf(Gen.ints(0, 10_000)))
 *         .tries(500)
 *         .assertHolds(xs -> xs.stream().mapToInt(Integer::intValue).sum() < 1_000_000);
 * }</pre>
 *
 * <p>Each try draws its value from a {@link Source} seeded with {@link #deriveTrySeed(long, int) a seed derived} from the
 * run seed and the try index. On the first failure the choices of that try are {@linkplain Shrinker shrunk} and the
 * result reports the seed, the shrunk and the original counterexamples, the failure, and how to replay.
 *
 * <p>System properties (read when the check runs, and they <em>override</em> the builder settings unless
 * {@link #ignoreSystemProperties()} is called):
 * <ul>
 *   <li>{@value #SEED_PROPERTY}: the run seed (decimal, or hex with {@code 0x});</li>
 *   <li>{@value #TRIES_PROPERTY}: the number of tries;</li>
 *   <li>{@value #REPLAY_PROPERTY}: an encoded {@link ChoiceSequence}; the check then runs exactly that case once
 *       (and shrinks it if it fails). Use it together with {@code -Dtest=...} to target one test.</li>
 * </ul>
 *
 * <p>A property fails when its predicate returns {@code false} or its body throws. During shrinking a candidate
 * counts as failing only if it throws the same exception class as the original failure. {@link Discard} (from
 * {@link Gen#filter} or {@link Discard#assume}) is not a failure; the case is skipped. Instances are mutable
 * builders and not thread-safe.
 *
 * @param <T> the generated type
 */
public final class Property<T> {
    public static final String SEED_PROPERTY = "virtio.seed";
    public static final String TRIES_PROPERTY = "virtio.tries";
    public static final String REPLAY_PROPERTY = "virtio.replay";

    /** Default number of tries. */
    public static final int DEFAULT_TRIES = 100;
    /** Default discards allowed per requested try before giving up. */
    public static final int DEFAULT_MAX_DISCARD_RATIO = 10;

    private static final SecureRandom SEEDS = new SecureRandom();

    /** A property body that may throw (e.g. AssertJ assertions). */
    @FunctionalInterface
    public interface ThrowingConsumer<T> {
        void accept(T value) throws Throwable;
    }

    /** The failure recorded when a predicate returns {@code false}. */
    public static final class Falsified extends AssertionError {
        public Falsified(String message) {
            super(message);
        }
    }

    private final Gen<T> gen;
    private String name;
    private int tries = DEFAULT_TRIES;
    private Long seed;
    private Long onlyTrySeed;
    private ChoiceSequence replay;
    private int maxShrinkRuns = Shrinker.DEFAULT_MAX_RUNS;
    private Duration shrinkTimeout = Shrinker.DEFAULT_TIMEOUT;
    private boolean shrink = true;
    private int maxDiscardRatio = DEFAULT_MAX_DISCARD_RATIO;
    private boolean useSystemProperties = true;
    private Function<? super T, String> describer = Property::describeValue;

    private Property(Gen<T> gen) {
        this.gen = Objects.requireNonNull(gen);
    }

    /** Starts a property over the values of {@code gen}. */
    public static <T> Property<T> forAll(Gen<T> gen) {
        return new Property<>(gen);
    }

    /** Starts a property over pairs of independent values. */
    public static <A, B> Property<Gen.Pair<A, B>> forAll(Gen<A> a, Gen<B> b) {
        return new Property<>(Gen.pairs(a, b));
    }

    /** A name printed in reports. */
    public Property<T> name(String name) {
        this.name = name;
        return this;
    }

    /** Number of (non-discarded) tries; default {@value #DEFAULT_TRIES}. */
    public Property<T> tries(int tries) {
        if (tries <= 0) {
            throw new IllegalArgumentException("tries must be positive: " + tries);
        }
        this.tries = tries;
        return this;
    }

    /** The run seed; default: random, and always reported. */
    public Property<T> seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Runs a single try whose {@link Source} is seeded with {@code trySeed} (as printed for a failing try). */
    public Property<T> trySeed(long trySeed) {
        this.onlyTrySeed = trySeed;
        return this;
    }

    /** Runs exactly the case encoded by {@code encodedChoices} (see {@link ChoiceSequence#encode()}). */
    public Property<T> replay(String encodedChoices) {
        return replay(ChoiceSequence.decode(encodedChoices));
    }

    /** Runs exactly the case {@code choices} encode. */
    public Property<T> replay(ChoiceSequence choices) {
        this.replay = Objects.requireNonNull(choices);
        return this;
    }

    /** Shrinking budget; default {@value Shrinker#DEFAULT_MAX_RUNS} runs and 10 s. */
    public Property<T> shrinkBudget(int maxRuns, Duration timeout) {
        this.maxShrinkRuns = maxRuns;
        this.shrinkTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /** Disables shrinking (the original counterexample is reported as the shrunk one). */
    public Property<T> noShrinking() {
        this.shrink = false;
        return this;
    }

    /** Give up (status EXHAUSTED) after {@code ratio * tries} discarded cases. */
    public Property<T> maxDiscardRatio(int ratio) {
        if (ratio < 0) {
            throw new IllegalArgumentException("negative ratio " + ratio);
        }
        this.maxDiscardRatio = ratio;
        return this;
    }

    /** Makes the check ignore {@value #SEED_PROPERTY}, {@value #TRIES_PROPERTY} and {@value #REPLAY_PROPERTY}. */
    public Property<T> ignoreSystemProperties() {
        this.useSystemProperties = false;
        return this;
    }

    /** How counterexamples are printed; default {@code toString}, with arrays expanded. */
    public Property<T> describedBy(Function<? super T, String> describer) {
        this.describer = Objects.requireNonNull(describer);
        return this;
    }

    // ------------------------------------------------------------------------------------------------- running

    /** Checks that {@code predicate} holds for every generated value. */
    public PropertyResult<T> check(Predicate<? super T> predicate) {
        Objects.requireNonNull(predicate);
        return run(v -> {
            if (!predicate.test(v)) {
                throw new Falsified("property returned false");
            }
        });
    }

    /** Checks that {@code body} completes normally for every generated value. */
    public PropertyResult<T> checkThrowing(ThrowingConsumer<? super T> body) {
        return run(Objects.requireNonNull(body));
    }

    /** {@link #check} then {@link PropertyResult#assertHolds()}: throws an {@link AssertionError} on failure. */
    public PropertyResult<T> assertHolds(Predicate<? super T> predicate) {
        return check(predicate).assertHolds();
    }

    /** {@link #checkThrowing} then {@link PropertyResult#assertHolds()}. */
    public PropertyResult<T> assertHoldsThrowing(ThrowingConsumer<? super T> body) {
        return checkThrowing(body).assertHolds();
    }

    /**
     * The seed of try {@code index} of a run with seed {@code runSeed} (a SplitMix64-style mix), so that one
     * failing try can be regenerated alone with {@code Source.random(deriveTrySeed(runSeed, index))} or {@link #trySeed(long)}.
     */
    public static long deriveTrySeed(long runSeed, int index) {
        long z = runSeed + (index + 1L) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private PropertyResult<T> run(ThrowingConsumer<? super T> body) {
        long runSeed = resolveSeed();
        int runTries = resolveTries();
        ChoiceSequence replayChoices = resolveReplay();

        if (replayChoices != null) {
            return runOne(Source.replay(replayChoices), runSeed, true, 0, body);
        }
        if (onlyTrySeed != null) {
            return runOne(Source.random(onlyTrySeed), runSeed, false, onlyTrySeed, body);
        }

        long maxDiscards = (long) runTries * maxDiscardRatio;
        int ran = 0;
        int discards = 0;
        for (int index = 0; ran < runTries; index++) {
            long ts = deriveTrySeed(runSeed, index);
            Case<T> o = execute(Source.random(ts), body);
            if (o == null) {
                discards++;
                if (discards > maxDiscards) {
                    return new PropertyResult<>(name, PropertyResult.Status.EXHAUSTED, runSeed, runTries, ran,
                            discards, false, -1, 0, Case.none(), Case.none(), 0, 0, false);
                }
                continue;
            }
            ran++;
            if (o.failure() != null) {
                return failed(runSeed, runTries, ran, discards, false, index, ts, o, body);
            }
        }
        return passed(runSeed, runTries, ran, discards, false);
    }

    /** A run of the one case {@code source} draws (a replay, or the one seed asked for). */
    private PropertyResult<T> runOne(Source source, long runSeed, boolean replayed, long caseSeed,
                                     ThrowingConsumer<? super T> body) {
        Case<T> o = execute(source, body);
        if (o == null) {
            return new PropertyResult<>(name, PropertyResult.Status.EXHAUSTED, runSeed, 1, 0, 1, replayed, -1, 0,
                    Case.none(), Case.none(), 0, 0, false);
        }
        if (o.failure() == null) {
            return passed(runSeed, 1, 1, 0, replayed);
        }
        return failed(runSeed, 1, 1, 0, replayed, 0, caseSeed, o, body);
    }

    private PropertyResult<T> passed(long runSeed, int requested, int ran, int discards, boolean replayed) {
        return new PropertyResult<>(name, PropertyResult.Status.PASSED, runSeed, requested, ran, discards, replayed,
                -1, 0, Case.none(), Case.none(), 0, 0, false);
    }

    private PropertyResult<T> failed(long runSeed, int requested, int ran, int discards, boolean replayed,
                                     int failingTry, long failingTrySeed, Case<T> original,
                                     ThrowingConsumer<? super T> body) {
        Case<T> best = original;
        int steps = 0;
        int runs = 0;
        boolean exhausted = false;
        if (shrink) {
            Class<?> kind = original.failure().getClass();
            Shrinker.Target target = candidate -> {
                Case<T> o = execute(Source.replay(candidate), body, false);
                return o != null && o.failure() != null && o.failure().getClass() == kind ? o.choices() : null;
            };
            Shrinker.Result r = Shrinker.withBudget(maxShrinkRuns, shrinkTimeout).shrink(original.choices(), target);
            steps = r.steps();
            runs = r.runs();
            exhausted = r.exhausted();
            if (r.steps() > 0) {
                Case<T> again = execute(Source.replay(r.best()), body);
                if (again != null && again.failure() != null && again.failure().getClass() == kind) {
                    best = again;
                }
            }
        }
        return new PropertyResult<>(name, PropertyResult.Status.FAILED, runSeed, requested, ran, discards, replayed,
                failingTry, failingTrySeed,
                original, best, steps, runs, exhausted);
    }

    /** Generates and tests one case; {@code null} if it was discarded. */
    private Case<T> execute(Source source, ThrowingConsumer<? super T> body) {
        return execute(source, body, true);
    }

    /** As {@link #execute(Source, ThrowingConsumer)}; shrink runs skip describing the value. */
    private Case<T> execute(Source source, ThrowingConsumer<? super T> body, boolean describe) {
        T value;
        try {
            value = gen.generate(source);
        } catch (Discard d) {
            return null;
        } catch (Throwable t) {
            rethrowFatal(t);
            return new Case<>(null, "<generator threw " + t.getClass().getName() + ">", t, source.choices());
        }
        String description = null;
        if (describe) {
            try {
                description = describer.apply(value);
            } catch (RuntimeException e) {
                description = "<toString threw " + e + ">";
            }
        }
        try {
            body.accept(value);
            return new Case<>(value, description, null, source.choices());
        } catch (Discard d) {
            return null;
        } catch (Throwable t) {
            rethrowFatal(t);
            if (t instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Case<>(value, description, t, source.choices());
        }
    }

    /**
     * Errors of the JVM end the run; so does an aborted assumption (a test that does not apply to the target, e.g.
     * a write on a read-only disk): it says nothing about the property, so it skips the test instead of counting as
     * a counterexample.
     */
    private static void rethrowFatal(Throwable t) {
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) {
            throw (VirtualMachineError) t;
        }
        if (t instanceof org.opentest4j.TestAbortedException aborted) {
            throw aborted;
        }
    }

    private long resolveSeed() {
        String p = useSystemProperties ? System.getProperty(SEED_PROPERTY) : null;
        if (p != null && !p.isBlank()) {
            return parseSeed(p.strip());
        }
        if (seed != null) {
            return seed;
        }
        return SEEDS.nextLong() ^ System.nanoTime();
    }

    private int resolveTries() {
        String p = useSystemProperties ? System.getProperty(TRIES_PROPERTY) : null;
        if (p != null && !p.isBlank()) {
            try {
                int t = Integer.parseInt(p.strip());
                if (t > 0) {
                    return t;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException("-D" + TRIES_PROPERTY + " must be a positive integer: " + p);
        }
        return tries;
    }

    private ChoiceSequence resolveReplay() {
        String p = useSystemProperties ? System.getProperty(REPLAY_PROPERTY) : null;
        if (p != null && !p.isBlank()) {
            return ChoiceSequence.decode(p);
        }
        return replay;
    }

    static long parseSeed(String s) {
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + SEED_PROPERTY + " must be a long (decimal or 0x hex): " + s, e);
        }
    }

    /** {@code toString}, with arrays expanded. */
    static String describeValue(Object v) {
        if (v == null) {
            return "null";
        }
        if (v.getClass().isArray()) {
            String s = Arrays.deepToString(new Object[] {v});
            return s.substring(1, s.length() - 1);
        }
        return v.toString();
    }
}
