package org.virtiotck.tck.gen;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Shrinking must reach the exact minimal counterexample, whatever the seed. */
class ShrinkingTest {

    private static <T> PropertyResult<T> falsify(Property<T> p, java.util.function.Predicate<? super T> predicate) {
        PropertyResult<T> r = p.ignoreSystemProperties().tries(1000).check(predicate);
        assertThat(r.failed()).as("property should be falsified").isTrue();
        return r;
    }

    private static int sum(List<Integer> xs) {
        return xs.stream().mapToInt(Integer::intValue).sum();
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 1234567, -99})
    void sumOfListShrinksToSingleThousand(long seed) {
        PropertyResult<List<Integer>> r = falsify(
                Property.forAll(Gen.listOf(Gen.ints(-10_000, 10_000))).seed(seed), xs -> sum(xs) < 1000);
        assertThat(r.shrunk().counterexample()).contains(List.of(1000));
        assertThat(r.shrunk().description()).isEqualTo("[1000]");
        assertThat(r.shrinkSteps()).isPositive();
        assertThat(r.failure()).isInstanceOf(Property.Falsified.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {7, 8, 9, 2024})
    void sortedListContaining42ShrinksToJust42(long seed) {
        Gen<List<Integer>> sorted = Gen.listOf(Gen.ints(0, 100)).map(xs -> {
            List<Integer> c = new ArrayList<>(xs);
            Collections.sort(c);
            return c;
        });
        PropertyResult<List<Integer>> r = falsify(Property.forAll(sorted).seed(seed), xs -> !xs.contains(42));
        assertThat(r.shrunk().counterexample()).contains(List.of(42));
    }

    @ParameterizedTest
    @ValueSource(longs = {11, 12, 13})
    void integersShrinkToTheBoundary(long seed) {
        assertThat(falsify(Property.forAll(Gen.ints(-1000, 1000)).seed(seed), x -> x > -50).shrunk().counterexample())
                .contains(-50);
        assertThat(falsify(Property.forAll(Gen.ints(-1000, 1000)).seed(seed), x -> x < 50).shrunk().counterexample())
                .contains(50);
        assertThat(falsify(Property.forAll(Gen.longs()).seed(seed), x -> x < (1L << 40))
                .shrunk().counterexample()).contains(1L << 40);
        // not monotone: odd values pass, so plain binary search can stall; rounding down reaches the boundary
        assertThat(falsify(Property.forAll(Gen.longs()).seed(seed), x -> x < (1L << 40) || x % 4096 != 0)
                .shrunk().counterexample()).contains(1L << 40);
        assertThat(falsify(Property.forAll(Gen.longs(100, 200)).seed(seed), x -> false).shrunk().counterexample())
                .contains(100L);
        assertThat(falsify(Property.forAll(Gen.longs(-200, -100)).seed(seed), x -> false).shrunk().counterexample())
                .contains(-100L);
    }

    record Sized(int n, List<Integer> items) {
    }

    @ParameterizedTest
    @ValueSource(longs = {21, 22, 23, 24})
    void shrinkingWorksThroughFlatMap(long seed) {
        // The list's length is chosen by the first stage; shrinking must shrink both stages together.
        Gen<Sized> gen = Gen.ints(1, 20).flatMap(n -> Gen.listOf(Gen.ints(0, 1000), n, n).map(l -> new Sized(n, l)));
        PropertyResult<Sized> r = falsify(Property.forAll(gen).seed(seed),
                s -> s.items().size() < 3 || s.items().stream().allMatch(i -> i < 500));
        assertThat(r.shrunk().counterexample()).contains(new Sized(3, List.of(0, 0, 500)));
    }

    @ParameterizedTest
    @ValueSource(longs = {31, 32, 33, 34, 35})
    void siblingElementsAreSorted(long seed) {
        PropertyResult<List<Integer>> r = falsify(Property.forAll(Gen.listOf(Gen.ints(0, 10))).seed(seed),
                xs -> !(xs.contains(7) && xs.contains(3)));
        assertThat(r.shrunk().counterexample()).contains(List.of(3, 7));
    }

    @ParameterizedTest
    @ValueSource(longs = {41, 42, 43})
    void fuzzerStyleProgramsShrinkToTheSingleOffendingAccess(long seed) {
        PropertyResult<List<GenTest.Access>> r = falsify(Property.forAll(GenTest.PROGRAM).seed(seed),
                prog -> prog.stream().noneMatch(a -> a.write() && a.width() == 8 && a.offset() >= 0x100));
        assertThat(r.shrunk().counterexample()).contains(List.of(new GenTest.Access(true, 0x100, 8, List.of())));
    }

    @Test
    void nestedStructuresShrinkElementwise() {
        Gen<List<List<Integer>>> gen = Gen.listOf(Gen.listOf(Gen.ints(0, 50), 0, 5), 0, 8);
        PropertyResult<List<List<Integer>>> r = falsify(Property.forAll(gen).seed(5),
                ls -> ls.stream().mapToInt(List::size).sum() < 4);
        assertThat(r.shrunk().counterexample()).contains(List.of(List.of(0, 0, 0, 0)));
    }

    @Test
    void oneOfFrequencyAndShuffleShrinkTowardsTheFirstOptionAndIdentity() {
        Gen<String> f = Gen.frequency(Gen.weighted(1, Gen.constant("a")), Gen.weighted(50, Gen.constant("b")));
        assertThat(falsify(Property.forAll(f).seed(3), x -> false).shrunk().counterexample()).contains("a");
        Gen<List<Integer>> shuffled = Gen.shuffle(List.of(1, 2, 3, 4, 5));
        assertThat(falsify(Property.forAll(shuffled).seed(3), x -> false).shrunk().counterexample())
                .contains(List.of(1, 2, 3, 4, 5));
        assertThat(falsify(Property.forAll(Gen.subsetOf(0xF0F0L)).seed(3), x -> Long.bitCount(x) < 2)
                .shrunk().counterexample()).contains(0xC000L);
    }

    @Test
    void shrinkingIsDeterministicForASeed() {
        Gen<List<Integer>> gen = Gen.listOf(Gen.ints(-10_000, 10_000));
        PropertyResult<List<Integer>> a = falsify(Property.forAll(gen).seed(77), xs -> xs.size() < 3 || sum(xs) > 0);
        PropertyResult<List<Integer>> b = falsify(Property.forAll(gen).seed(77), xs -> xs.size() < 3 || sum(xs) > 0);
        assertThat(a.original().description()).isEqualTo(b.original().description());
        assertThat(a.shrunk().choices()).isEqualTo(b.shrunk().choices());
        assertThat(a.shrinkRuns()).isEqualTo(b.shrinkRuns());
        assertThat(a.shrunk().counterexample()).contains(List.of(0, 0, 0));
    }

    @Test
    void onlyFailuresOfTheSameKindCountWhileShrinking() {
        // >= 500 throws IllegalStateException, [10, 500) throws IllegalArgumentException.
        Property.ThrowingConsumer<Long> body = x -> {
            if (x >= 500) {
                throw new IllegalStateException("big " + x);
            }
            if (x >= 10) {
                throw new IllegalArgumentException("medium " + x);
            }
        };
        boolean sawState = false;
        boolean sawArgument = false;
        for (long seed = 0; seed < 40 && !(sawState && sawArgument); seed++) {
            PropertyResult<Long> r = Property.forAll(Gen.longs(0, 1000)).seed(seed).ignoreSystemProperties()
                    .checkThrowing(body);
            assertThat(r.failed()).isTrue();
            assertThat(r.failure()).hasSameClassAs(r.original().failure());
            if (r.original().failure() instanceof IllegalStateException) {
                sawState = true;
                assertThat(r.shrunk().counterexample()).contains(500L);
                assertThat(r.failure()).hasMessage("big 500");
            } else {
                sawArgument = true;
                assertThat(r.shrunk().counterexample()).contains(10L);
            }
        }
        assertThat(sawState).isTrue();
        assertThat(sawArgument).isTrue();
    }

    @Test
    void shrinkerWorksStandaloneOnRawSequences() {
        ChoiceSequence start = ChoiceSequence.of(5, 99, 3, 12, 7);
        Shrinker.Result r = Shrinker.defaults().shrinkRaw(start, cs -> {
            long sum = 0;
            for (int i = 0; i < cs.length(); i++) {
                sum += cs.get(i);
            }
            return sum >= 20;
        });
        assertThat(r.best()).isEqualTo(ChoiceSequence.of(20));
        assertThat(r.exhausted()).isFalse();
        assertThat(r.runs()).isLessThan(200);
    }

    @Test
    void shrinkerWorksStandaloneWithAGenerator() {
        Gen<List<Integer>> gen = Gen.listOf(Gen.ints(0, 255), 0, 32);
        Source s = null;
        for (long seed = 0; s == null; seed++) {
            Source candidate = Source.random(seed);
            if (gen.generate(candidate).stream().anyMatch(x -> x > 200)) {
                s = candidate;
            }
        }
        Shrinker.Result r = Shrinker.defaults().shrink(s.choices(),
                Shrinker.Target.of(gen, xs -> xs.stream().anyMatch(x -> x > 200)));
        assertThat(gen.replay(r.best())).containsExactly(201);
    }

    @Test
    void shrinkingRespectsItsRunBudget() {
        ChoiceSequence start = ChoiceSequence.of(1000, 1000, 1000, 1000, 1000, 1000);
        Shrinker.Result r = Shrinker.withBudget(5, Duration.ofSeconds(10)).shrinkRaw(start, cs -> {
            long sum = 0;
            for (int i = 0; i < cs.length(); i++) {
                sum += cs.get(i);
            }
            return sum >= 3000;
        });
        assertThat(r.runs()).isEqualTo(5);
        assertThat(r.exhausted()).isTrue();
        assertThat(r.best().simplerThan(start)).isTrue();
    }
}
